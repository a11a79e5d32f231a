package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

/** A nacked command reaches the dead-letter topic (and its offset the commit) only when the replica is not stopping. */
class CommandDeadLetterStrategyTest {

    private final List<Throwable> deadLettered = new CopyOnWriteArrayList<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final KafkaFailureHandler handler = GatedDeadLetterStrategy.handler(new KafkaFailureHandler() {
        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
            deadLettered.add(reason);
            return Uni.createFrom().voidItem();
        }
    }, CommandDeadLetterStrategy.unlessStopping(shuttingDown::get));

    @Test
    void aCommandThatFailedGoesToTheDeadLetterTopic() {
        // when
        UniAssertSubscriber<Void> nack = handler.handle(command(), new IllegalStateException("refused"),
                Metadata.empty()).subscribe().withSubscriber(UniAssertSubscriber.create());

        // then
        nack.assertCompleted();
        assertThat(deadLettered).singleElement().extracting(Throwable::getMessage).isEqualTo("refused");
    }

    @Test
    void aCommandNackedWhileTheReplicaShutsDownIsNeitherDeadLetteredNorReleased() {
        // given
        shuttingDown.set(true);

        // when
        UniAssertSubscriber<Void> nack = handler.handle(command(), new IllegalStateException("refused"),
                Metadata.empty()).subscribe().withSubscriber(UniAssertSubscriber.create());

        // then the record stays unacknowledged: its offset is not committed
        nack.assertNotTerminated();
        assertThat(deadLettered).isEmpty();
    }

    @Test
    void aCommandRefusedByTheClosedWorkerPoolIsNeitherDeadLetteredNorReleased() {
        // when the pool refuses before the shutdown flag is seen
        UniAssertSubscriber<Void> nack = handler.handle(command(),
                new RejectedExecutionException("WorkerPoolRegistry is being shut down"), Metadata.empty())
                .subscribe().withSubscriber(UniAssertSubscriber.create());

        // then
        nack.assertNotTerminated();
        assertThat(deadLettered).isEmpty();
    }

    private static IncomingKafkaRecord<String, byte[]> command() {
        return new IncomingKafkaRecord<>(new ConsumerRecord<>("apex.commands", 0, 42L, "k",
                "{}".getBytes(StandardCharsets.UTF_8)), "commands", 0, null, null, false);
    }
}
