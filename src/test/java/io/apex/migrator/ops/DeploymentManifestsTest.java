package io.apex.migrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.apex.migrator.proxy.ProxyConfig;
import io.apex.migrator.support.ProjectDir;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                .contains("Deployment", "Service", "ScaledObject", "HorizontalPodAutoscaler", "Job", "ConfigMap",
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
        JsonNode container = deployment("worker").at("/spec/template/spec/containers/0");
        assertThat(container.at("/resources/requests/memory").asText()).isNotBlank();
        assertThat(container.at("/resources/limits/memory").asText()).isNotBlank();
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(deployment("worker").at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
    }

    @Test
    void autoscalersAndDisruptionBudgetTargetTheWorkerDeployment() throws IOException {
        String worker = deployment("worker").at("/metadata/name").asText();
        assertThat(only("ScaledObject").at("/spec/scaleTargetRef/name").asText()).isEqualTo(worker);
        assertThat(only("ScaledObject").at("/spec/triggers/0/type").asText()).isEqualTo("kafka");
        assertThat(only("HorizontalPodAutoscaler").at("/spec/scaleTargetRef/name").asText()).isEqualTo(worker);
        assertThat(named("PodDisruptionBudget", worker).at("/spec/selector/matchLabels"))
                .isEqualTo(deployment("worker").at("/spec/selector/matchLabels"));
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
    void noSecretValueShipsTheSecretIsGeneratedFromAFileNeverCommitted() throws IOException {
        // given
        JsonNode generator = YAML.readTree(K8S.resolve("kustomization.yaml").toFile()).at("/secretGenerator/0");
        String envFile = generator.at("/envs/0").asText();

        // then: no Secret manifest (with placeholder values that would deploy as they are) ...
        assertThat(allManifests()).noneMatch(d -> d.path("kind").asText().equals("Secret"));
        // ... but one generated from a file git ignores, so `kubectl apply -k` fails until the operator writes it
        assertThat(generator.path("name").asText()).isEqualTo("apex-migrator-secrets");
        assertThat(envFile).isEqualTo("secrets.env");
        assertThat(Files.readAllLines(ProjectDir.resolve(Path.of(".gitignore")))).contains("k8s/" + envFile);
        // ... whose documented example holds no value
        assertThat(secretExample()).allSatisfy((key, value) -> assertThat(value).as(key).isEmpty());
    }

    @Test
    void theSecretsKeysAreTheNamesTheAppReadsAndReadmeDocuments() throws IOException {
        // given: each key of the secret set in the environment, with application.properties as the app has it
        Map<String, String> readAs = Map.of(
                "APEX_RUNSTORE_PASSWORD", "quarkus.datasource.password",
                "APEX_POSTGRES_PASSWORD", "apex.postgres.password",
                "APEX_NEO4J_PASSWORD", "apex.neo4j.password",
                "APEX_QDRANT_API_KEY", "apex.qdrant.api-key",
                "APEX_COMMANDS_SIGNING_KEY", "apex.commands.signing-key",
                "APEX_COMMANDS_PREVIOUS_SIGNING_KEY", "apex.commands.previous-signing-key",
                "APEX_DASHBOARD_OPERATOR_TOKEN", "apex.dashboard.operator-token",
                "KAFKA_SASL_JAAS_CONFIG", "kafka.sasl.jaas.config");
        Map<String, String> env = new HashMap<>();
        secretExample().keySet().forEach(k -> env.put(k, "value-of-" + k));
        env.put("APEX_RUNSTORE_JDBC_URL", "jdbc:postgresql://from-configmap/db");
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withSources(new EnvConfigSource(env, 300),
                new PropertiesConfigSource(ProjectDir.resolve(Path.of("src/main/resources/application.properties"))
                        .toUri().toURL(), 250)).build();
        String readme = Files.readString(ProjectDir.resolve(Path.of("README.md")));

        // then
        assertThat(secretExample().keySet()).containsExactlyInAnyOrderElementsOf(readAs.keySet());
        readAs.forEach((key, property) -> {
            assertThat(config.getOptionalValue(property, String.class)).as("%s read as %s", key, property)
                    .contains("value-of-" + key);
            assertThat(readme).as("README names %s", key).contains("`" + key + "`");
        });
        assertThat(config.getOptionalValue("quarkus.datasource.jdbc.url", String.class))
                .contains("jdbc:postgresql://from-configmap/db");
        // every key a manifest takes from the secret is one of them, and the ConfigMap uses the same family of names
        for (JsonNode doc : allManifests()) {
            doc.findValues("secretKeyRef").forEach(ref -> assertThat(readAs).containsKey(ref.path("key").asText()));
        }
        assertThat(only("ConfigMap").path("data").has("APEX_RUNSTORE_JDBC_URL")).isTrue();
    }

    /** The keys of k8s/secrets.env.example (a commented-out KEY=... counts) and their values. */
    private static Map<String, String> secretExample() throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(K8S.resolve("secrets.env.example"))) {
            Matcher m = Pattern.compile("^(#\\s*)?([A-Z][A-Z0-9_]+)=(.*)$").matcher(line);
            if (m.matches()) {
                keys.put(m.group(2), m.group(1) == null ? m.group(3) : "");
            }
        }
        return keys;
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
                .contains("qdrant", "kafka", "postgres", "neo4j", "worker", "proxy");
        assertThat(compose.at("/services/qdrant/image").asText()).startsWith("qdrant/qdrant");
        assertThat(compose.at("/services/postgres/image").asText()).contains("pgvector");
    }

    @Test
    void theProxyRunsTwoOrMoreStatelessReplicasProbedOnItsHttpPort() throws IOException {
        JsonNode proxy = deployment("proxy");
        JsonNode pod = proxy.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(proxy.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(container.at("/args").toString()).isEqualTo("[\"proxy\"]");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(container.at("/resources/limits/memory").asText()).isNotBlank();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        // stateless: nothing but scratch space is mounted
        pod.path("volumes").forEach(v -> assertThat(v.has("emptyDir")).as("volume %s", v).isTrue());
        assertThat(named("PodDisruptionBudget", "apex-migrator-proxy").at("/spec/selector/matchLabels"))
                .isEqualTo(proxy.at("/spec/selector/matchLabels"));
    }

    @Test
    void theProxyListensOnTheConfiguredDefaultPorts() throws Exception {
        JsonNode container = deployment("proxy").at("/spec/template/spec/containers/0");
        String grpcDefault = ProxyConfig.class.getMethod("port").getAnnotation(WithDefault.class).value();
        assertThat(containerPort(container, "grpc")).isEqualTo(Integer.parseInt(grpcDefault));
        assertThat(containerPort(container, "rest")).isEqualTo(6336);
        // quarkus.http.port is left at Quarkus's default, as for the worker
        assertThat(containerPort(container, "http")).isEqualTo(8080)
                .isEqualTo(containerPort(deployment("worker").at("/spec/template/spec/containers/0"), "http"));
        assertThat(deployment("proxy").at("/spec/template/metadata/annotations/prometheus.io~1port").asText())
                .isEqualTo("8080");
    }

    @Test
    void theProxyServiceSelectsOnlyTheProxyPodsOnTheirNamedPorts() throws IOException {
        JsonNode service = named("Service", "apex-migrator-proxy");
        JsonNode selector = service.at("/spec/selector");
        JsonNode proxyLabels = deployment("proxy").at("/spec/template/metadata/labels");
        JsonNode workerLabels = deployment("worker").at("/spec/template/metadata/labels");
        assertThat(selector.size()).isPositive();
        selector.fields().forEachRemaining(e -> assertThat(proxyLabels.path(e.getKey()).asText())
                .as("proxy pod label %s", e.getKey()).isEqualTo(e.getValue().asText()));
        assertThat(iterable(selector.fields())).as("a worker pod is not selected")
                .anySatisfy(e -> assertThat(workerLabels.path(e.getKey()).asText()).isNotEqualTo(e.getValue().asText()));
        JsonNode container = deployment("proxy").at("/spec/template/spec/containers/0");
        assertThat(iterable(service.at("/spec/ports").elements())).extracting(p -> p.path("name").asText())
                .containsExactlyInAnyOrder("grpc", "rest", "http");
        service.at("/spec/ports").forEach(p -> assertThat(containerPort(container, p.path("targetPort").asText()))
                .as("target port %s", p.path("targetPort")).isEqualTo(p.path("port").asInt()));
    }

    @Test
    void noManifestCarriesASecretValueInline() throws IOException {
        for (JsonNode doc : allManifests()) {
            for (JsonNode env : doc.findValues("env")) {
                env.forEach(e -> {
                    if (e.path("name").asText().matches(".*(PASSWORD|API_KEY|SECRET|TOKEN).*")) {
                        assertThat(e.has("value")).as("%s in %s", e.path("name"), doc.at("/metadata/name")).isFalse();
                        assertThat(e.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("apex-migrator-secrets");
                    }
                });
            }
        }
    }

    @Test
    void composeRunsTheProxyInFrontOfItsQdrant() throws IOException {
        JsonNode proxy = YAML.readTree(ProjectDir.resolve(Path.of("docker/compose.yaml")).toFile())
                .at("/services/proxy");
        assertThat(proxy.path("command").toString()).isEqualTo("[\"proxy\"]");
        assertThat(proxy.at("/environment/APEX_QDRANT_HOST").asText()).isEqualTo("qdrant");
        assertThat(proxy.path("depends_on").toString()).contains("qdrant", "kafka", "postgres");
        assertThat(proxy.path("ports").toString()).contains("6335:6335", "6336:6336");
        assertThat(proxy.at("/environment/APEX_RUNSTORE_PASSWORD").asText()).startsWith("${");
    }

    private static JsonNode only(String kind) throws IOException {
        List<JsonNode> matches = allManifests().stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(matches).as("manifests of kind %s", kind).hasSize(1);
        return matches.get(0);
    }

    private static JsonNode named(String kind, String name) throws IOException {
        List<JsonNode> matches = allManifests().stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.at("/metadata/name").asText().equals(name)).toList();
        assertThat(matches).as("%s %s", kind, name).hasSize(1);
        return matches.get(0);
    }

    /** The Deployment of one component (worker, proxy). */
    private static JsonNode deployment(String component) throws IOException {
        List<JsonNode> matches = allManifests().stream().filter(d -> d.path("kind").asText().equals("Deployment")
                && d.at("/metadata/labels/app.kubernetes.io~1component").asText().equals(component)).toList();
        assertThat(matches).as("Deployments of component %s", component).hasSize(1);
        return matches.get(0);
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + name + " in " + container.path("ports"));
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
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
