package io.apex.migrator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.apex.migrator.support.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(LocalStackResource.class)
class ServiceHealthIT {

    @Test
    void readinessIsUpWhenTheRunStoreIsReachable() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsAreServed() {
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
