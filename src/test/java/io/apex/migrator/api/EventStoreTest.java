package io.apex.migrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Events name the store their command acts on: a PostgreSQL failure never says "qdrant". */
class EventStoreTest {

    @ParameterizedTest
    @CsvSource({"postgres.upgrade, postgres", "postgres.downgrade, postgres", "neo4j.up, neo4j", "neo4j.down, neo4j",
            "qdrant.migrate, qdrant", "qdrant.rollback-alias, qdrant", "run.throttle, qdrant", "qdrant.cutover, qdrant",
            "release.apply, release", "release.rollback, release", "release.cutover, release", "release.cancel, release"})
    void aRejectionNamesTheStoreOfItsCommandType(String type, String store) {
        // when
        EventData rejection = EventData.rejection("c-1", type, "$.target", "no such version");

        // then
        assertThat(rejection.store()).isEqualTo(store);
        assertThat(CommandType.fromWire(type).orElseThrow().store()).isEqualTo(store);
    }

    @ParameterizedTest
    @CsvSource(value = {"NULL", "qdrant.frobnicate"}, nullValues = "NULL")
    void aRejectionOfAnUnknownTypeNamesNoStore(String type) {
        assertThat(EventData.rejection(null, type, "$.type", "unknown").store()).isNull();
    }
}
