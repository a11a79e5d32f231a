package io.apex.migrator.proxy;

import io.apex.migrator.support.LocalStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The capture stream's consumer alone in the test JVM (channel {@code capture-in} on a topic of its own), without the
 * rest of worker mode: no coordinator or reconciler drives the runs a test creates by hand, while the re-syncs a
 * backfill page publishes are applied as a worker would apply them.
 */
public final class CaptureConsumerResource implements QuarkusTestResourceLifecycleManager {

    static final String CAPTURE = "it-races.capture";
    private static final String DEAD_LETTER = "it-races.dead-letter";

    @Override
    public Map<String, String> start() {
        createTopics(LocalStack.kafkaBootstrap());
        return Map.of(
                "quarkus.http.test-port", "0",
                "apex.topics.capture", CAPTURE,
                "apex.topics.dead-letter", DEAD_LETTER,
                "mp.messaging.incoming.capture-in.enabled", "true",
                "mp.messaging.incoming.capture-in.group.id", "it-races-capture");
    }

    private static void createTopics(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (String topic : List.of(CAPTURE, DEAD_LETTER)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the test topics in time", e);
        }
    }

    @Override
    public void stop() {
        // topics stay: the broker is JVM-wide and stops with the JVM
    }
}
