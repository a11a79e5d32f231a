package io.apex.migrator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.support.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
class ServiceHealthIT {

    @Test
    void readinessReportsEveryStoreSeparatelyAndIsUpWhenAllAreReachable() {
        // channels connect lazily, so the first probes may still be DOWN
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.name", hasItems("Qdrant", "Neo4j", "PostgreSQL memory store"))
                        .body("checks.status", everyItem(equalTo("UP"))));
    }

    @Test
    void livenessDoesNotDependOnDownstreams() {
        given().when().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", not(hasItems("Qdrant")))
                .body("checks.name", not(hasItems("Neo4j")));
    }

    @Test
    void theAsyncApiDocumentAndTheSchemasItReferencesAreServed() {
        given().when().get("/asyncapi.yaml").then().statusCode(200)
                .body(containsString("asyncapi: 3.0.0"), containsString("address: apex.commands"));
        given().when().get("/schemas/commands/qdrant.migrate.schema.json").then().statusCode(200)
                .body(containsString("urn:apex-migrator:schemas:command:qdrant.migrate:v1"));
        given().when().get("/schemas/batch-task.schema.json").then().statusCode(200);
        given().when().get("/schemas/commands/no.such.schema.json").then().statusCode(404);
    }

    @Test
    void prometheusMetricsAreServed() {
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
