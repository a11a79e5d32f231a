package io.apex.migrator.schema;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who and where a runner is, for {@code applied_by} and lock owners: {@code user@host (pid N)}. */
public final class RunnerIdentity {

    private RunnerIdentity() {
    }

    public static String current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
        }
        return System.getProperty("user.name", "unknown") + "@" + host + " (pid " + ProcessHandle.current().pid() + ")";
    }
}
