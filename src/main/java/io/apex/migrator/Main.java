package io.apex.migrator;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.apex.migrator.cli.ApexApplication;
import io.apex.migrator.proxy.ProxyMode;

/**
 * Entry point of the one application with two modes: a CLI command runs and exits without an HTTP
 * listener; {@code worker} is the long-running service that serves health and metrics over HTTP.
 *
 * <p>The mode is the first argument. Without arguments, {@code apex.mode=worker} (system property) or
 * {@code APEX_MODE=worker} (environment) starts the worker: for launchers that cannot pass arguments, such as
 * {@code @QuarkusIntegrationTest} (jar and native alike), or a platform that sets only the environment.
 * Arguments always win; {@code cli} (the default) keeps the plain CLI.
 */
@QuarkusMain
public final class Main {

    static final String WORKER = "worker";
    static final String CLI = "cli";
    static final String PROXY = "proxy";

    private Main() {
    }

    public static void main(String... args) {
        String mode = modeFromConfig();
        if (mode != null && !WORKER.equals(mode) && !CLI.equals(mode)) {
            System.err.println("apex.mode (APEX_MODE) must be 'worker' or 'cli', was '" + mode + "'");
            System.exit(2);
        }
        String[] effective = args.length == 0 && WORKER.equals(mode) ? new String[] {WORKER} : args;
        // HTTP is a runtime setting, so the mode must be chosen before Quarkus reads its config.
        if (effective.length > 0 && WORKER.equals(effective[0])) {
            System.setProperty("quarkus.http.host-enabled", "true");
        }
        if (effective.length > 0 && PROXY.equals(effective[0])) {
            // the proxy runs until stopped too, and serves /q/health and /q/metrics like the worker (its consumers
            // stay off); its readiness covers only what it depends on
            ProxyMode.SETTINGS.forEach((key, value) -> {
                if (System.getProperty(key) == null) {
                    System.setProperty(key, value);
                }
            });
        }
        if (effective.length == 0 || !WORKER.equals(effective[0]) && !PROXY.equals(effective[0])) {
            CliLogging.apply(effective);
        }
        if (effective.length > 0 && WORKER.equals(effective[0])) {
            if (System.getProperty("quarkus.profile") == null && System.getenv("QUARKUS_PROFILE") == null) {
                System.setProperty("quarkus.profile", WORKER);
            }
        }
        Quarkus.run(ApexApplication.class, effective);
    }

    /** {@code apex.mode} before {@code APEX_MODE}, the order MicroProfile Config gives them (Config is not up yet). */
    private static String modeFromConfig() {
        String property = System.getProperty("apex.mode");
        return property != null ? property.trim() : System.getenv("APEX_MODE") == null ? null
                : System.getenv("APEX_MODE").trim();
    }
}
