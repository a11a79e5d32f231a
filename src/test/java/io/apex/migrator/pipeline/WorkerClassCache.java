package io.apex.migrator.pipeline;

import io.apex.migrator.support.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A class-data-sharing archive of the packaged application for the fleet's JVMs (README "Start-up": a recorded archive
 * takes a share off every start, and the reliability tests start dozens of replicas): the one {@code mvn verify}
 * recorded before the ITs ({@code apex.it.class-cache}), or else one recorded once per test JVM from a {@code --help}
 * run. Without one (it could not be recorded) the replicas start as before.
 */
final class WorkerClassCache {

    private static final Logger LOGGER = Logger.getLogger(WorkerClassCache.class);
    private static Optional<Path> archive;

    private WorkerClassCache() {
    }

    /** The JVM options that start a replica from the archive (none when there is none). */
    static synchronized List<String> jvmOptions() {
        if (archive == null) {
            archive = record();
        }
        return archive.map(a -> List.of("-XX:SharedArchiveFile=" + a, "-Xlog:cds*=off")).orElse(List.of());
    }

    private static Optional<Path> record() {
        Optional<Path> recordedByMaven = Optional.ofNullable(System.getProperty("apex.it.class-cache")).map(Path::of)
                .filter(WorkerClassCache::nonEmpty);
        if (recordedByMaven.isPresent()) {
            return recordedByMaven;
        }
        Path jar = WorkerFleet.jar();
        Path target = jar.getParent().getParent();
        // not under quarkus-app: scripts/apex keeps its own archive there and deletes others it finds
        Path file = target.resolve("fleet-class-cache-" + ProcessHandle.current().pid() + ".jsa");
        file.toFile().deleteOnExit();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ArchiveClassesAtExit=" + file, "-Xlog:cds*=off",
                "-jar", jar.toString(), "--help");
        try {
            ServiceProcess.runToCompletion("class cache recording", cmd, target,
                    target.resolve("fleet-class-cache.log"), Duration.ofSeconds(120));
            if (nonEmpty(file)) {
                return Optional.of(file);
            }
        } catch (RuntimeException e) {
            LOGGER.warnf("no class cache for the fleet's JVMs (they start without): %s", e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
