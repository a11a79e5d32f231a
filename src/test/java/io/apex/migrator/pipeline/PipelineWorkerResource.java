package io.apex.migrator.pipeline;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Worker mode in a test: coordinator, tracker and three worker consumers in one group (concurrency 1 each),
 * on topics of their own so no other test's messages meet them. A test resource rather than a test profile:
 * a profile's overrides outlived the class and switched worker mode on in later {@code @QuarkusMainTest}s.
 */
public final class PipelineWorkerResource implements QuarkusTestResourceLifecycleManager {

    public static final String PREFIX = "it-pipeline.";
    /** {@code apex.releases.dir} of these tests: a test writes the release manifests it needs there. */
    public static final java.nio.file.Path RELEASES_DIR = io.apex.migrator.support.ProjectDir.resolve(
            java.nio.file.Path.of("target", "it-releases"));

    @Override
    public Map<String, String> start() {
        try {
            java.nio.file.Files.createDirectories(RELEASES_DIR);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Map.ofEntries(
                Map.entry("apex.releases.dir", RELEASES_DIR.toString()),
                io.apex.migrator.support.SpecsDirResource.entry(),
                Map.entry("apex.pipeline.enabled", "true"),
                // several suites share this machine: a free HTTP port instead of the fixed 8081
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("apex.pipeline.worker.consumers", "3"),
                Map.entry("apex.pipeline.worker.concurrency", "1"),
                Map.entry("apex.pipeline.page-backoff", "100ms"),
                Map.entry("apex.qdrant.retry.initial-backoff", "50ms"),
                // a release waits for its copies by polling every reconcile interval (5 s by default), as the
                // reconciler does for unattended runs: 500 ms here, as in LifecycleStack
                Map.entry("apex.pipeline.lifecycle.reconcile-interval", "500ms"),
                Map.entry("apex.topics.commands", PREFIX + "commands"),
                Map.entry("apex.topics.batches", PREFIX + "batches"),
                Map.entry("apex.topics.progress", PREFIX + "progress"),
                Map.entry("apex.topics.events", PREFIX + "events"),
                Map.entry("apex.topics.dead-letter", PREFIX + "dead-letter"),
                Map.entry("apex.topics.capture", PREFIX + "capture"),
                Map.entry("apex.topics.batches-partitions", "6"));
    }

    @Override
    public void stop() {
        // nothing to stop: configuration only
    }
}
