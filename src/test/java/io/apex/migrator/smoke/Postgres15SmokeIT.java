package io.apex.migrator.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.support.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class Postgres15SmokeIT {

    @Test
    void aRowWrittenToRealPostgres15IsReadBack() throws Exception {
        try (Connection c = DriverManager.getConnection(LocalStack.postgresJdbcUrl(), "postgres", "");
             Statement s = c.createStatement()) {
            // given
            s.execute("CREATE TABLE IF NOT EXISTS smoke_rows (id int PRIMARY KEY, doc jsonb)");
            s.execute("INSERT INTO smoke_rows VALUES (1, '{\"tenant\":\"a\"}') ON CONFLICT (id) DO NOTHING");

            // when
            try (ResultSet rs = s.executeQuery("SELECT doc->>'tenant', current_setting('server_version_num') FROM smoke_rows WHERE id = 1")) {
                rs.next();

                // then
                assertThat(rs.getString(1)).isEqualTo("a");
                assertThat(rs.getInt(2)).isBetween(150000, 159999);
            }
        }
    }
}
