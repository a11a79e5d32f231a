package io.apex.migrator.cli;

import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

/** Long-running service mode: consumes Kafka messages and serves health and metrics over HTTP. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run as a long-running service (Kafka consumers, /q/health, /q/metrics).")
public final class WorkerCommand implements Runnable {

    @Override
    public void run() {
        Quarkus.waitForExit();
    }
}
