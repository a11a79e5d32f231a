package io.apex.migrator.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.support.LocalStack;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;

class Neo4jSmokeIT {

    @Test
    void aNodeWrittenOverBoltIsReadBack() {
        // given
        String id = UUID.randomUUID().toString();
        try (var driver = GraphDatabase.driver(LocalStack.neo4jUri(), AuthTokens.none());
             var session = driver.session()) {
            session.executeWrite(tx -> tx.run("CREATE (:Smoke {id: $id, text: 'hello graph'})", Map.of("id", id)).consume());

            // when
            String text = session.executeRead(tx ->
                    tx.run("MATCH (s:Smoke {id: $id}) RETURN s.text AS text", Map.of("id", id)).single().get("text").asString());

            // then
            assertThat(text).isEqualTo("hello graph");
            assertThat(session.run("CALL dbms.components() YIELD versions RETURN versions[0] AS v").single()
                    .get("v").asString()).startsWith("5.");
        }
    }
}
