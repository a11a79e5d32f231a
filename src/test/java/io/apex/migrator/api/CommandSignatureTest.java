package io.apex.migrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandSignatureTest {

    @Test
    void theSignatureIsStandardHmacSha256SoAnyProducerCanComputeIt() {
        // RFC 4231, test case 2
        String signature = CommandSignature.sign(utf8("Jefe"), utf8("what do ya want for nothing?"));

        assertThat(signature).isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void aSignatureMatchesOnlyTheExactBytesUnderTheSameKey() {
        byte[] key = utf8("k".repeat(40));
        byte[] value = utf8("{\"schemaVersion\":1,\"commandId\":\"c-1\"}");
        byte[] signature = utf8(CommandSignature.sign(key, value));

        assertThat(CommandSignature.matches(key, value, signature)).isTrue();
        assertThat(CommandSignature.matches(key, utf8("{\"schemaVersion\":1, \"commandId\":\"c-1\"}"), signature))
                .as("one added space").isFalse();
        assertThat(CommandSignature.matches(utf8("j".repeat(40)), value, signature)).as("another key").isFalse();
        assertThat(CommandSignature.matches(key, value, null)).as("no header").isFalse();
        assertThat(CommandSignature.matches(key, value, utf8("sha256=00"))).as("malformed").isFalse();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
