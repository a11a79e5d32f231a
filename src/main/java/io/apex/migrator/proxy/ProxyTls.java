package io.apex.migrator.proxy;

import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the proxy's own ports are secured, its gRPC port and its REST port alike: plain text, TLS with a PEM certificate
 * and key, or mutual TLS with a client CA as well ({@code apex.proxy.tls.*}). Validated when built, so a half-configured
 * TLS never falls back to plain text silently.
 */
public record ProxyTls(Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> clientCaFile) {

    /** No TLS: the port speaks plain text. */
    public static final ProxyTls PLAINTEXT = new ProxyTls(Optional.empty(), Optional.empty(), Optional.empty());

    public ProxyTls {
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("apex.proxy.tls.cert-file and apex.proxy.tls.key-file go together: "
                    + "set both for TLS, neither for plain text");
        }
        if (clientCaFile.isPresent() && certFile.isEmpty()) {
            throw new IllegalArgumentException("apex.proxy.tls.client-ca-file needs apex.proxy.tls.cert-file and "
                    + "key-file (mutual TLS is TLS first)");
        }
        for (Optional<Path> file : java.util.List.of(certFile, keyFile, clientCaFile)) {
            file.filter(f -> !Files.isReadable(f)).ifPresent(f -> {
                throw new IllegalArgumentException("apex.proxy.tls: cannot read " + f);
            });
        }
    }

    /** TLS with this certificate chain and key (PEM). */
    public static ProxyTls of(Path certFile, Path keyFile) {
        return new ProxyTls(Optional.of(certFile), Optional.of(keyFile), Optional.empty());
    }

    /** Mutual TLS: this server certificate and key, and client certificates signed by {@code clientCaFile}. */
    public static ProxyTls mutual(Path certFile, Path keyFile, Path clientCaFile) {
        return new ProxyTls(Optional.of(certFile), Optional.of(keyFile), Optional.of(clientCaFile));
    }

    static ProxyTls of(ProxyConfig.Tls config) {
        return new ProxyTls(config.certFile(), config.keyFile(), config.clientCaFile());
    }

    /** Whether the port speaks TLS. */
    public boolean enabled() {
        return certFile.isPresent();
    }

    /** A short description for the startup log line (file names only, never key material). */
    String describe() {
        if (!enabled()) {
            return "plain text";
        }
        return clientCaFile.map(ca -> "mutual TLS (certificate " + certFile.get() + ", client CA " + ca + ")")
                .orElse("TLS (certificate " + certFile.get() + ")");
    }

    /**
     * The gRPC server credentials.
     *
     * @throws IllegalArgumentException when a PEM file is not a certificate or key gRPC can use
     */
    ServerCredentials credentials() {
        if (!enabled()) {
            return InsecureServerCredentials.create();
        }
        try {
            TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
                    .keyManager(certFile.get().toFile(), keyFile.get().toFile());
            if (clientCaFile.isPresent()) {
                builder.trustManager(clientCaFile.get().toFile())
                        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException("apex.proxy.tls: cannot read the certificate or key: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("apex.proxy.tls: not a usable PEM certificate chain and PKCS#8 key ("
                    + certFile.get() + ", " + keyFile.get() + ")", e);
        }
    }

    /**
     * {@code options} for the REST port with this TLS: HTTPS with the same certificate and key as the gRPC port, and
     * with a client CA a client certificate it signed required during the handshake. Plain HTTP when TLS is off.
     */
    HttpServerOptions secure(HttpServerOptions options) {
        if (!enabled()) {
            return options.setSsl(false);
        }
        options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile.get().toString())
                .setKeyPath(keyFile.get().toString()));
        clientCaFile.ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()))
                .setClientAuth(ClientAuth.REQUIRED));
        return options;
    }
}
