package io.apex.migrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.apex.migrator.support.ProjectDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A schema check of the Kubernetes manifests and the compose file (no kubectl on these machines). */
class DeploymentManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path K8S = ProjectDir.resolve(Path.of("k8s"));

    @Test
    void everyManifestIsAKubernetesObjectWithANameAndLabels() throws IOException {
        List<JsonNode> docs = allManifests();
        assertThat(docs).extracting(d -> d.path("kind").asText())
                .contains("Deployment", "ScaledObject", "HorizontalPodAutoscaler", "Job", "ConfigMap", "Secret",
                        "PodDisruptionBudget");
        for (JsonNode d : docs) {
            if (d.path("kind").asText().equals("Kustomization")) {
                continue;
            }
            assertThat(d.path("apiVersion").asText()).as("apiVersion of %s", d.path("kind")).isNotBlank();
            assertThat(d.at("/metadata/name").asText()).as("name of %s", d.path("kind")).matches("[a-z0-9-]+");
            assertThat(d.at("/metadata/labels/app.kubernetes.io~1name").asText()).isEqualTo("apex-migrator");
        }
    }

    @Test
    void workersHaveResourcesAndProbesThatDoNotDependOnDownstreams() throws IOException {
        JsonNode container = only("Deployment").at("/spec/template/spec/containers/0");
        assertThat(container.at("/resources/requests/memory").asText()).isNotBlank();
        assertThat(container.at("/resources/limits/memory").asText()).isNotBlank();
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(only("Deployment").at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
    }

    @Test
    void autoscalersAndDisruptionBudgetTargetTheWorkerDeployment() throws IOException {
        String worker = only("Deployment").at("/metadata/name").asText();
        assertThat(only("ScaledObject").at("/spec/scaleTargetRef/name").asText()).isEqualTo(worker);
        assertThat(only("ScaledObject").at("/spec/triggers/0/type").asText()).isEqualTo("kafka");
        assertThat(only("HorizontalPodAutoscaler").at("/spec/scaleTargetRef/name").asText()).isEqualTo(worker);
        assertThat(only("PodDisruptionBudget").at("/spec/selector/matchLabels"))
                .isEqualTo(only("Deployment").at("/spec/selector/matchLabels"));
    }

    @Test
    void kedaWatchesTheLagOfTheWorkersGroupOnTheBatchTopic() throws IOException {
        java.util.Properties app = new java.util.Properties();
        try (var in = Files.newInputStream(ProjectDir.resolve(Path.of("src/main/resources/application.properties")))) {
            app.load(in);
        }
        JsonNode trigger = only("ScaledObject").at("/spec/triggers/0/metadata");
        assertThat(trigger.path("topic").asText()).isEqualTo(app.getProperty("apex.topics.batches"));
        assertThat(trigger.path("consumerGroup").asText())
                .isEqualTo(app.getProperty("mp.messaging.incoming.batches-in.group.id"));
    }

    @Test
    void theSchemaJobUpgradesPostgresBeforeNeo4j() throws IOException {
        JsonNode spec = only("Job").at("/spec/template/spec");
        assertThat(spec.at("/initContainers/0/args").toString()).isEqualTo("[\"postgres\",\"upgrade\"]");
        assertThat(spec.at("/containers/0/args").toString()).isEqualTo("[\"neo4j\",\"up\"]");
        assertThat(spec.at("/restartPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void theSecretTemplateHoldsOnlyPlaceholders() throws IOException {
        only("Secret").path("stringData").forEach(v -> assertThat(v.asText()).isEqualTo("change-me"));
    }

    @Test
    void kustomizationListsExistingFiles() throws IOException {
        JsonNode k = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        k.path("resources").forEach(r -> assertThat(K8S.resolve(r.asText())).exists());
    }

    @Test
    void composeRunsTheRealStoresAndTheWorker() throws IOException {
        JsonNode compose = YAML.readTree(ProjectDir.resolve(Path.of("docker/compose.yaml")).toFile());
        assertThat(compose.path("services").fieldNames()).toIterable()
                .contains("qdrant", "kafka", "postgres", "neo4j", "worker");
        assertThat(compose.at("/services/qdrant/image").asText()).startsWith("qdrant/qdrant");
        assertThat(compose.at("/services/postgres/image").asText()).contains("pgvector");
    }

    private static JsonNode only(String kind) throws IOException {
        List<JsonNode> matches = allManifests().stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(matches).as("manifests of kind %s", kind).hasSize(1);
        return matches.get(0);
    }

    private static List<JsonNode> allManifests() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
                    docs.addAll(it.readAll());
                }
            }
        }
        return docs;
    }
}
