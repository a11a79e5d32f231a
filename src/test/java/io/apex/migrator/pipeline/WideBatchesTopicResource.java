package io.apex.migrator.pipeline;

import io.apex.migrator.support.LocalStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * {@link PipelineWorkerResource}'s worker mode on a batches topic of its own that an operator created with
 * {@link #PARTITIONS} partitions before the workers started, while {@code apex.topics.batches-partitions} still says
 * {@link #CONFIGURED}.
 */
public final class WideBatchesTopicResource implements QuarkusTestResourceLifecycleManager {

    static final String TOPIC = PipelineWorkerResource.PREFIX + "batches-wide";
    static final int PARTITIONS = 8;
    static final int CONFIGURED = 3;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(new PipelineWorkerResource().start());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers",
                LocalStack.config().get("kafka.bootstrap.servers")))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + TOPIC, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + TOPIC, e);
        }
        config.put("apex.topics.batches", TOPIC);
        config.put("apex.topics.batches-partitions", String.valueOf(CONFIGURED));
        return config;
    }

    @Override
    public void stop() {
        // the topic stays: the broker is the test JVM's and stops with it
    }
}
