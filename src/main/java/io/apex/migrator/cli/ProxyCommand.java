package io.apex.migrator.cli;

import io.apex.migrator.proxy.ProxyConfig;
import io.apex.migrator.proxy.ProxyServer;
import io.apex.migrator.qdrant.QdrantConfig;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

/**
 * Long-running capture proxy: applications talk to it instead of Qdrant (gRPC and REST); it forwards every call and
 * captures the writes to collections under migration for the workers to apply to the target.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Run the Qdrant capture proxy (gRPC on apex.proxy.port, REST on apex.proxy.rest-port; forwarding to "
                + "apex.qdrant.host:port and :rest-port).")
public final class ProxyCommand implements Runnable {

    @Inject
    ProxyServer proxy;
    @Inject
    ProxyConfig config;
    @Inject
    QdrantConfig qdrant;

    @Override
    public void run() {
        try (ProxyServer.Running running = proxy.start(qdrant.settings(), config.port())) {
            Quarkus.waitForExit();
        }
    }
}
