package io.apex.migrator.dashboard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of the live migration dashboard ({@code /migrations}) and its JSON API. */
@ConfigMapping(prefix = "apex.dashboard")
public interface DashboardConfig {

    /**
     * The token an operator must send (header {@code X-Operator-Token}) for actions (pause, resume, cancel,
     * cutover, rollback). Actions are refused while it is not set. A secret: never logged or echoed.
     */
    Optional<String> operatorToken();

    /**
     * Whether the read endpoints ({@code GET /api/migrations} and {@code /api/migrations/{id}}: run metadata, failure
     * reasons) need the operator token too. Off by default; with it on and no token configured, reads are refused.
     */
    @WithDefault("false")
    boolean protectReads();
}
