package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandKeysTest {

    private static final String OLD = "old-key-0123456789abcdef0123456789abcdef";
    private static final String NEW = "new-key-0123456789abcdef0123456789abcdef";
    private static final byte[] VALUE = "{\"commandId\":\"c-1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void withoutAKeyNothingIsSignedAndNothingRequired() {
        CommandKeys keys = new CommandKeys(Optional.empty(), Optional.of("  "));

        assertThat(keys.required()).isFalse();
        assertThat(keys.sign(VALUE)).isEmpty();
    }

    @Test
    void duringARotationBothKeysVerifyButOnlyTheNewOneSigns() {
        // given
        CommandKeys rotating = new CommandKeys(Optional.of(NEW), Optional.of(OLD));
        CommandKeys before = new CommandKeys(Optional.of(OLD), Optional.empty());
        CommandKeys after = new CommandKeys(Optional.of(NEW), Optional.empty());

        // when
        byte[] signedOld = before.sign(VALUE).orElseThrow().getBytes(StandardCharsets.US_ASCII);
        byte[] signedNew = rotating.sign(VALUE).orElseThrow().getBytes(StandardCharsets.US_ASCII);

        // then
        assertThat(rotating.verifies(VALUE, signedOld)).isTrue();
        assertThat(rotating.verifies(VALUE, signedNew)).isTrue();
        assertThat(signedNew).isEqualTo(after.sign(VALUE).orElseThrow().getBytes(StandardCharsets.US_ASCII));
        assertThat(after.verifies(VALUE, signedOld)).as("the old key once the rotation is over").isFalse();
    }

    @Test
    void anUnusableKeyFailsNamingTheSettingNeverTheValue() {
        String shortKey = "s3cr3t-but-short";

        assertThatThrownBy(() -> new CommandKeys(Optional.of(shortKey), Optional.empty()))
                .hasMessageContaining("apex.commands.signing-key is too short")
                .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> new CommandKeys(Optional.empty(), Optional.of(OLD)))
                .hasMessageContaining("apex.commands.previous-signing-key is set but apex.commands.signing-key is not")
                .hasMessageNotContaining(OLD);
        assertThat(new CommandKeys(Optional.of(NEW), Optional.of(OLD)).toString()).doesNotContain(NEW, OLD);
    }
}
