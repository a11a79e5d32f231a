package io.apex.migrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.apex.migrator.pipeline.TopicsConfig;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The AsyncAPI document in the jar keeps up with the code: every command, event and topic, no dangling schema. */
class AsyncApiDocumentTest {

    private static JsonNode document() throws IOException {
        try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream("asyncapi.yaml")) {
            assertThat(in).as("asyncapi.yaml in the jar").isNotNull();
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    /** The names of the messages a channel (by address) carries. */
    private static List<String> messageNames(JsonNode doc, String address) {
        JsonNode channel = StreamSupport.stream(doc.path("channels").spliterator(), false)
                .filter(c -> address.equals(c.path("address").asText())).findFirst().orElseThrow(
                        () -> new AssertionError("no channel with address " + address));
        List<String> names = new ArrayList<>();
        channel.path("messages").forEach(m -> names.add(resolve(doc, m.path("$ref").asText()).path("name").asText()));
        return names;
    }

    private static JsonNode resolve(JsonNode doc, String ref) {
        assertThat(ref).startsWith("#/");
        JsonNode node = doc.at(ref.substring(1));
        assertThat(node.isMissingNode()).as("%s resolves in the document", ref).isFalse();
        return node;
    }

    @Test
    void itIsAnAsyncApi3DocumentWithSendAndReceiveOperations() throws IOException {
        JsonNode doc = document();
        assertThat(doc.path("asyncapi").asText()).startsWith("3.");
        List<String> actions = new ArrayList<>();
        doc.path("operations").forEach(op -> {
            actions.add(op.path("action").asText());
            resolve(doc, op.path("channel").path("$ref").asText());
        });
        assertThat(actions).contains("send", "receive").allMatch(a -> a.equals("send") || a.equals("receive"));
    }

    @Test
    void everyTopicOfTheCodeIsAChannel() throws IOException {
        JsonNode doc = document();
        List<String> addresses = new ArrayList<>();
        doc.path("channels").forEach(c -> addresses.add(c.path("address").asText()));
        List<String> topics = Arrays.stream(TopicsConfig.class.getMethods())
                .filter(m -> m.getReturnType() == String.class && m.isAnnotationPresent(WithDefault.class))
                .map(m -> m.getAnnotation(WithDefault.class).value()).toList();
        assertThat(topics).as("topics in TopicsConfig").hasSizeGreaterThanOrEqualTo(6);
        assertThat(addresses).containsAll(topics);
    }

    @Test
    void everyCommandTypeIsAMessageOfTheCommandsChannelWithItsSchema() throws IOException {
        JsonNode doc = document();
        List<String> names = messageNames(doc, "apex.commands");
        for (CommandType type : CommandType.values()) {
            assertThat(names).as("commands channel").contains(type.wireName());
        }
        doc.path("components").path("messages").forEach(m -> {
            String ref = m.path("payload").path("schema").path("$ref").asText();
            if (ref.startsWith("schemas/commands/")) {
                assertThat(ref).isEqualTo(CommandType.fromWire(m.path("name").asText()).orElseThrow().schemaResource());
            }
        });
    }

    @Test
    void everyEventTypeIsAMessageOfTheEventsChannel() throws IOException {
        List<String> names = messageNames(document(), "apex.events");
        for (EventType type : EventType.values()) {
            assertThat(names).as("events channel").contains(type.ceType());
        }
    }

    @Test
    void everyReferenceResolvesToASchemaInTheJarOrAPartOfTheDocument() throws IOException {
        JsonNode doc = document();
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            if (ref.startsWith("#")) {
                resolve(doc, ref);
            } else {
                assertThat(getClass().getClassLoader().getResource(ref)).as("schema %s in the jar", ref).isNotNull();
            }
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }
}
