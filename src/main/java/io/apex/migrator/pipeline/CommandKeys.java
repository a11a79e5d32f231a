package io.apex.migrator.pipeline;

import io.apex.migrator.api.CommandSignature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The configured command-signing keys ({@link CommandSigningConfig}): senders sign with the current one, the intake
 * accepts either. Keys are held as bytes and never turned back into text, so no message can carry one; a key that
 * is set but unusable fails with a message that names the setting, never the value.
 */
@ApplicationScoped
public class CommandKeys {

    /** An HMAC-SHA256 key shorter than its output is weaker than the hash; 32 hex digits = 128 bits. */
    static final int MIN_LENGTH = 32;

    private final byte[] current;
    private final List<byte[]> accepted;

    @Inject
    public CommandKeys(CommandSigningConfig config) {
        this(config.signingKey(), config.previousSigningKey());
    }

    CommandKeys(Optional<String> current, Optional<String> previous) {
        this.current = bytes("apex.commands.signing-key", current);
        byte[] old = bytes("apex.commands.previous-signing-key", previous);
        if (old != null && this.current == null) {
            throw new IllegalStateException("apex.commands.previous-signing-key is set but apex.commands.signing-key "
                    + "is not: during a rotation both are set; to stop authenticating commands, unset both");
        }
        List<byte[]> keys = new ArrayList<>();
        if (this.current != null) {
            keys.add(this.current);
        }
        if (old != null) {
            keys.add(old);
        }
        this.accepted = List.copyOf(keys);
    }

    /** Whether commands must be signed (a key is configured). */
    public boolean required() {
        return current != null;
    }

    /** How many keys the intake accepts (2 during a rotation). */
    int acceptedCount() {
        return accepted.size();
    }

    /** The {@value CommandSignature#HEADER} header value for a record value, when a key is configured. */
    public Optional<String> sign(byte[] value) {
        return current == null ? Optional.empty() : Optional.of(CommandSignature.sign(current, value));
    }

    /** Whether {@code presented} signs {@code value} under one of the accepted keys. */
    boolean verifies(byte[] value, byte[] presented) {
        boolean ok = false;
        for (byte[] key : accepted) {
            // every key is tried, so the time taken does not tell which one matched
            ok |= CommandSignature.matches(key, value, presented);
        }
        return ok;
    }

    private static byte[] bytes(String setting, Optional<String> value) {
        Optional<String> key = value.map(String::strip).filter(k -> !k.isEmpty());
        if (key.isEmpty()) {
            return null;
        }
        if (key.get().length() < MIN_LENGTH) {
            throw new IllegalStateException(setting + " is too short: use at least " + MIN_LENGTH
                    + " characters (e.g. the output of `openssl rand -hex 32`)");
        }
        return key.get().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CommandKeys[" + accepted.size() + " accepted]";
    }
}
