package io.apex.migrator;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.apex.migrator.cli.ApexApplication;

/**
 * Entry point of the one application with two modes: a CLI command runs and exits without an HTTP
 * listener; {@code worker} is the long-running service that serves health and metrics over HTTP.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        // HTTP is a runtime setting, so the mode must be chosen before Quarkus reads its config.
        if (args.length > 0 && "worker".equals(args[0])) {
            System.setProperty("quarkus.http.host-enabled", "true");
            if (System.getProperty("quarkus.profile") == null && System.getenv("QUARKUS_PROFILE") == null) {
                System.setProperty("quarkus.profile", "worker");
            }
        }
        Quarkus.run(ApexApplication.class, args);
    }
}
