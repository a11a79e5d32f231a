package io.apex.migrator.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A run store that cannot be read refuses the write that asked, and the refusal is counted. */
class ActiveRunsRefusalTest {

    @Test
    void aLookupThatCannotReadTheRunStoreRefusesTheWriteAndCountsIt() {
        // given
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DataSource unreachable = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new SQLException("connection refused", "08001");
                });
        ActiveRuns runs = new ActiveRuns(unreachable, config(), new ProxyMetrics(registry));

        // when / then
        assertThatThrownBy(() -> runs.forCollection("docs"))
                .isInstanceOf(CaptureException.RunStoreUnavailable.class);
        assertThatThrownBy(() -> runs.forCollection("docs"))
                .isInstanceOf(CaptureException.RunStoreUnavailable.class);
        assertThat(registry.get("apex.proxy.writes.refused").tag("reason", "run-store-unavailable").counter().count())
                .isEqualTo(2);
    }

    private static ProxyConfig config() {
        return new ProxyConfig() {
            @Override
            public int port() {
                return 0;
            }

            @Override
            public int maxMessageMegabytes() {
                return 4;
            }

            @Override
            public Duration runCacheTtl() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration captureTimeout() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Tls tls() {
                return new Tls() {
                    @Override
                    public Optional<java.nio.file.Path> certFile() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<java.nio.file.Path> keyFile() {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<java.nio.file.Path> clientCaFile() {
                        return Optional.empty();
                    }
                };
            }
        };
    }
}
