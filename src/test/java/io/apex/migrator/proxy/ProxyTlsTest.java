package io.apex.migrator.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.InsecureServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS of the proxy's own port: all or nothing, never a silent fallback to plain text. */
class ProxyTlsTest {

    @TempDir
    Path dir;

    @Test
    void noCertificateMeansPlainText() {
        assertThat(ProxyTls.PLAINTEXT.enabled()).isFalse();
        assertThat(ProxyTls.PLAINTEXT.credentials()).isInstanceOf(InsecureServerCredentials.class);
    }

    @Test
    void aCertificateAndKeyMeanTlsWithoutClientCertificates() throws IOException {
        TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "server");

        // when
        ProxyTls tls = ProxyTls.of(pem.certificate(), pem.privateKey());

        // then
        assertThat(tls.enabled()).isTrue();
        assertThat(tls.credentials()).isInstanceOfSatisfying(TlsServerCredentials.class, c -> {
            assertThat(c.getClientAuth()).isEqualTo(TlsServerCredentials.ClientAuth.NONE);
            assertThat(c.getCertificateChain()).isNotEmpty();
        });
        assertThat(tls.describe()).contains(pem.certificate().toString()).doesNotContain("PRIVATE");
    }

    @Test
    void aClientCaRequiresClientCertificates() throws IOException {
        TestCertificates.Pem server = TestCertificates.selfSigned(dir, "server");
        TestCertificates.Pem client = TestCertificates.selfSigned(dir, "client");

        // when
        ProxyTls tls = ProxyTls.mutual(server.certificate(), server.privateKey(), client.certificate());

        // then
        assertThat(tls.credentials()).isInstanceOfSatisfying(TlsServerCredentials.class,
                c -> assertThat(c.getClientAuth()).isEqualTo(TlsServerCredentials.ClientAuth.REQUIRE));
        assertThat(tls.describe()).startsWith("mutual TLS");
    }

    @Test
    void aCertificateWithoutItsKeyIsRefused() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");

        assertThatThrownBy(() -> new ProxyTls(Optional.of(cert), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("go together");
        assertThatThrownBy(() -> new ProxyTls(Optional.empty(), Optional.of(cert), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("go together");
    }

    @Test
    void aClientCaWithoutAServerCertificateIsRefused() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");

        assertThatThrownBy(() -> new ProxyTls(Optional.empty(), Optional.empty(), Optional.of(ca)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client-ca-file");
    }

    @Test
    void anUnreadableFileIsNamedWhenConfigured() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> ProxyTls.of(missing, missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    }
}
