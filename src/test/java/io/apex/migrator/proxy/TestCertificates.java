package io.apex.migrator.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for TLS tests, made at test time by the JDK's own keytool (no network, no extra library)
 * and written as the PEM files the proxy reads: the certificate, and its key in PKCS#8.
 */
final class TestCertificates {

    /** A throwaway keystore's password: the keystore lives in a temporary folder for one test. */
    private static final String STORE_PASSWORD = "test-only";

    private TestCertificates() {
    }

    /** A certificate for {@code localhost} and 127.0.0.1, and its key. */
    record Pem(Path certificate, Path privateKey) {
    }

    /** Creates {@code name}.crt.pem and {@code name}.key.pem in {@code dir}. */
    static Pem selfSigned(Path dir, String name) {
        try {
            Path store = dir.resolve(name + ".p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=localhost, O=apex-migrator test " + name, "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", STORE_PASSWORD,
                    "-keypass", STORE_PASSWORD)
                    .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".keytool.log").toFile()).start();
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                keytool.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + Files.readString(dir.resolve(name
                        + ".keytool.log")));
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, STORE_PASSWORD.toCharArray());
            }
            Certificate certificate = keyStore.getCertificate(name);
            PrivateKey key = (PrivateKey) keyStore.getKey(name, STORE_PASSWORD.toCharArray());
            Path cert = Files.writeString(dir.resolve(name + ".crt.pem"), pem("CERTIFICATE", certificate.getEncoded()));
            Path keyFile = Files.writeString(dir.resolve(name + ".key.pem"), pem("PRIVATE KEY", key.getEncoded()));
            return new Pem(cert, keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client's TLS context (for HTTPS) that trusts {@code trusted}'s certificate and, when {@code identity} is not
     * null, presents {@code identity}'s certificate and key: the PEM files the proxy reads, read back.
     */
    static SSLContext clientContext(Pem trusted, Pem identity) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("trusted", certificate(trusted.certificate()));
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManagerFactory keyManagers = null;
            if (identity != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                        Base64.getMimeDecoder().decode(Files.readString(identity.privateKey())
                                .replaceAll("-----[A-Z ]+-----", ""))));
                keys.setKeyEntry("client", key, STORE_PASSWORD.toCharArray(),
                        new Certificate[] {certificate(identity.certificate())});
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(keys, STORE_PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(),
                    null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate certificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
