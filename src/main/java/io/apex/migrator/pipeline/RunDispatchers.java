package io.apex.migrator.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the verification passes of a run send their tasks: the in-process pool of a {@code --local} run
 * (remembered by command id for as long as that run is driven here), else the batches topic.
 */
@ApplicationScoped
public class RunDispatchers {

    private final Instance<KafkaBatchDispatcher> kafka;
    private final Map<String, BatchDispatcher> local = new ConcurrentHashMap<>();

    @Inject
    public RunDispatchers(Instance<KafkaBatchDispatcher> kafka) {
        this.kafka = kafka;
    }

    void remember(String commandId, BatchDispatcher dispatcher) {
        local.put(commandId, dispatcher);
    }

    void forget(String commandId) {
        local.remove(commandId);
    }

    public BatchDispatcher forCommand(String commandId) {
        BatchDispatcher d = local.get(commandId);
        return d != null ? d : kafka.get();
    }
}
