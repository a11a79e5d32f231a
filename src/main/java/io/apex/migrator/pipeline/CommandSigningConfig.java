package io.apex.migrator.pipeline;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * Command authentication ({@code apex.commands.*}, README "Security"). Both keys are secrets: set them from the
 * environment or a secret file ({@code APEX_COMMANDS_SIGNING_KEY}, {@code APEX_COMMANDS_PREVIOUS_SIGNING_KEY}), never
 * in application.properties; they are never logged or echoed.
 */
@ConfigMapping(prefix = "apex.commands")
public interface CommandSigningConfig {

    /**
     * The HMAC-SHA256 key commands are signed with (at least 32 characters). When set, workers reject every command
     * record without a valid {@code apex-signature} header, and the CLI and the dashboard sign what they send. When
     * unset, commands are not authenticated: whoever may write to the commands topic may command.
     */
    Optional<String> signingKey();

    /**
     * The key being rotated out: workers also accept commands signed with it, senders never use it. Set it to the
     * old key while the new one reaches every producer, then remove it.
     */
    Optional<String> previousSigningKey();
}
