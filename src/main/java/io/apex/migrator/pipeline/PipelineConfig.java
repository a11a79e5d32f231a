package io.apex.migrator.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the Qdrant migration pipeline ({@code apex.pipeline.*}). */
@ConfigMapping(prefix = "apex.pipeline")
public interface PipelineConfig {

    /**
     * Whether this process runs the Kafka consumers (coordinator, workers, tracker). On in {@code worker}
     * mode; off for one-shot CLI commands.
     */
    @WithDefault("false")
    boolean enabled();

    /** Name of this worker instance in progress reports; defaults to host name and pid. */
    Optional<String> workerId();

    /** Points per scroll/upsert page inside a range (a 1536-d page of 256 is ~1.6 MB). */
    @WithDefault("256")
    int pageSize();

    /**
     * Points one message of the batches topic should carry: ranges smaller than this travel several to a message (each
     * still taken and reported on its own), never so many that a run has fewer messages than the topic has
     * partitions; 0 = one range per message.
     */
    @WithDefault("1000")
    int pointsPerMessage();

    /** Points per id-only scroll page while planning ranges. */
    @WithDefault("10000")
    int planPageSize();

    /** Attempts per page on transient Qdrant errors, on top of the gateway's own retries. */
    @WithDefault("3")
    int pageAttempts();

    /** First backoff between page attempts (doubles, with jitter, up to {@link #transientMaxBackoff()}). */
    @WithDefault("500ms")
    Duration pageBackoff();

    /**
     * Longest pause between two attempts of a page, a verify task or a command while Qdrant answers with transient
     * errors: once Qdrant is back, work resumes at most this long after.
     */
    @WithDefault("10s")
    Duration transientMaxBackoff();

    /**
     * How long a page keeps being retried while Qdrant answers with transient errors (UNAVAILABLE,
     * RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED), beyond {@link #pageAttempts()}: an outage shorter than this holds
     * the range instead of failing the run. Keep it below the consumer's {@code max.poll.interval.ms} (5 min).
     */
    @WithDefault("2m")
    Duration transientPatience();

    /** How often a paused worker looks at its run again. */
    @WithDefault("500ms")
    Duration pausePoll();

    /** Threads of a {@code --local} run (in-process workers). */
    @WithDefault("3")
    int localWorkers();

    /** Worker scale inside one replica (read by the batches channel and its worker pool). */
    Worker worker();

    /** Worker scale inside one replica. */
    interface Worker {
        /** Kafka consumers of the batches topic in this replica (same group; partitions are the ceiling). */
        @WithDefault("1")
        int consumers();

        /** Batch tasks in flight at once in this replica. */
        @WithDefault("4")
        int concurrency();
    }

    /** Verification before the cutover ({@code apex.pipeline.verify.*}). */
    Verify verify();

    /** The readiness gate before every cutover ({@code apex.pipeline.readiness.*}). */
    Readiness readiness();

    /**
     * The target must be ready to serve before readers are moved onto it: Qdrant reports it green with its optimizer
     * ok, and it indexed at least {@link #indexedShare()} of the vectors Qdrant is expected to index.
     */
    interface Readiness {
        /** Share (0..1) of the points' vectors above the indexing threshold that must be indexed. */
        @WithDefault("0.99")
        double indexedShare();

        /** How long the gate polls (with backoff) before it gives up, see {@link #onTimeout()}. */
        @WithDefault("10m")
        Duration timeout();

        /**
         * What a run does when the target is still not ready after {@link #timeout()}: {@code wait} (it waits in
         * ready-for-cutover with the reason; a cutover command runs the gate again) or {@code fail}.
         */
        @WithDefault("wait")
        String onTimeout();

        /** First delay between two polls; it doubles up to {@link #maxPoll()}. */
        @WithDefault("200ms")
        Duration firstPoll();

        @WithDefault("5s")
        Duration maxPoll();
    }

    /** Verification before the cutover: range checksums and repair, catch-up passes, the recall gate. */
    interface Verify {
        /**
         * Rounds of repair of a range's differing points (a re-sync through the capture stream of the points that
         * the stream itself did not make equal) before the run fails naming the range and some of its points.
         */
        @WithDefault("3")
        int maxRepairs();

        /**
         * Catch-up passes after the first verification pass: each re-checksums every range and re-copies the
         * ones the source changed in since; they stop when a pass finds nothing. Also run again before a
         * postponed (manual) cutover.
         */
        @WithDefault("3")
        int catchUpPasses();

        /**
         * How long a verification waits for the capture stream to apply what was captured until then, before it
         * compares the points that differed again (each wait of a range; a stream further behind than this leaves
         * its points to the next round of repair).
         */
        @WithDefault("30s")
        Duration streamPatience();

        /**
         * Times the exact counts are taken again, each once the capture stream passed its end, when they differ
         * after verification. A run that still sees them differ while writes are captured leaves them to the cutover
         * hold (which stops writes and drains the stream); a run without captures fails.
         */
        @WithDefault("3")
        int countAttempts();

        /** Source points sampled as queries for the recall gate of a quantized target. */
        @WithDefault("200")
        int recallSample();

        /** recall@10 a quantized target must reach when its collection spec does not say. */
        @WithDefault("0.97")
        double recallThreshold();
    }

    /** Who drives a run after a crash, and how events leave ({@code apex.pipeline.lifecycle.*}). */
    Lifecycle lifecycle();

    /** Leases, the reconciler and the outbox relay: what bounds the time a dead replica's run waits for another. */
    interface Lifecycle {
        /**
         * How long a replica's claim on a run (or schema job) lasts without renewal; it is renewed every third of it
         * while the replica works. A replica that dies leaves its runs to others once this has passed.
         */
        @WithDefault("30s")
        Duration lease();

        /** How often every replica looks for runs and schema jobs nobody drives (free or expired lease). */
        @WithDefault("5s")
        Duration reconcileInterval();

        /** How often the outbox relay looks for unsent events when nothing woke it. */
        @WithDefault("1s")
        Duration relayInterval();

        /** Threads that drive runs after the copy and run schema jobs (off the Kafka consumer threads). */
        @WithDefault("4")
        int threads();
    }

    Live live();

    /** The cutover of a collection that keeps taking writes through the capture proxies (README "Live migration"). */
    interface Live {
        /**
         * How long the proxies may hold a run's writes at the cutover: every live replica holds, the capture stream
         * drains, the exact counts agree, all within this; otherwise the hold is given up (writes released to the
         * source, captured) and tried again.
         */
        @WithDefault("1s")
        Duration holdBudget();

        /** A proxy replica whose heartbeat is older than this is not waited for (it parks its writes by then). */
        @WithDefault("3s")
        Duration replicaExpiry();

        /** Holds tried before the run fails (the alias left where it was). */
        @WithDefault("8")
        int maxHoldAttempts();
    }

    /** How long the coordinator and workers wait for Kafka to acknowledge a message they publish. */
    @WithDefault("30s")
    Duration publishTimeout();
}
