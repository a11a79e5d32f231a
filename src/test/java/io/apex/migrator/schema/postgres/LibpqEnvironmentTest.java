package io.apex.migrator.schema.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apex.migrator.schema.SchemaException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LibpqEnvironmentTest {

    @Test
    void everyTlsParameterOfTheJdbcUrlBecomesItsLibpqVariable() {
        // given
        var settings = settings("jdbc:postgresql://db1.example:5433,db2.example/memory?sslmode=verify-full"
                + "&sslrootcert=/etc/apex/ca.pem&sslcert=/etc/apex/client.crt&sslkey=/etc/apex/client.key"
                + "&connectTimeout=7&targetServerType=primary", Optional.of("s3cret"));

        // when
        Map<String, String> env = LibpqEnvironment.of(settings);

        // then
        assertThat(env).containsEntry("PGHOST", "db1.example,db2.example").containsEntry("PGPORT", "5433,5432")
                .containsEntry("PGDATABASE", "memory").containsEntry("PGUSER", "migrator")
                .containsEntry("PGSSLMODE", "verify-full").containsEntry("PGSSLROOTCERT", "/etc/apex/ca.pem")
                .containsEntry("PGSSLCERT", "/etc/apex/client.crt").containsEntry("PGSSLKEY", "/etc/apex/client.key")
                .containsEntry("PGCONNECT_TIMEOUT", "7").containsEntry("PGTARGETSESSIONATTRS", "read-write")
                .containsEntry("PGPASSWORD", "s3cret");
    }

    @Test
    void sslTrueAloneMeansVerifyFullAsInPgjdbc() {
        assertThat(LibpqEnvironment.of(settings("jdbc:postgresql://db/memory?ssl=true", Optional.empty())))
                .containsEntry("PGSSLMODE", "verify-full").doesNotContainKey("PGPASSWORD");
    }

    @Test
    void noTlsParameterMeansPreferAsInBothDrivers() {
        assertThat(LibpqEnvironment.of(settings("jdbc:postgresql://[::1]:6543/memory", Optional.empty())))
                .containsEntry("PGSSLMODE", "prefer").containsEntry("PGHOST", "::1").containsEntry("PGPORT", "6543");
    }

    @Test
    void aKeyPassphrasePgDumpCannotBeGivenRefusesTheBackupWithoutShowingIt() {
        assertThatThrownBy(() -> LibpqEnvironment.of(settings(
                "jdbc:postgresql://db/memory?sslmode=verify-full&sslpassword=key-pass", Optional.empty())))
                .isInstanceOf(SchemaException.BackupFailed.class)
                .hasMessageContaining("'sslpassword'")
                .hasMessageContaining("nothing was applied")
                .hasMessageNotContaining("key-pass");
    }

    private static PostgresSettings settings(String url, Optional<String> password) {
        return new PostgresSettings(url, "migrator", password, "public", "classpath:db/postgres", Duration.ofSeconds(5));
    }
}
