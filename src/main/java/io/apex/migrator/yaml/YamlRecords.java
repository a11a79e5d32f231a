package io.apex.migrator.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads one YAML file into a record (snake_case keys, unknown keys refused); every failure names the file, the line
 * and the key, through the caller's {@link Problem} factory (collection specs, release manifests).
 */
public final class YamlRecords {

    /** Makes the exception a caller's area throws for a file that cannot be used. */
    @FunctionalInterface
    public interface Problem {
        /**
         * @param source the file (classpath resource or path)
         * @param line 1-based line, 0 when the problem is about the file as a whole
         */
        RuntimeException at(String source, int line, String problem, Throwable cause);
    }

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .addModule(new Jdk8Module())
            .build();

    private YamlRecords() {
    }

    /**
     * @param source where the text came from, for messages (e.g. {@code classpath:collections/documents_v2.yaml})
     * @param text the YAML
     * @param what what the file should hold, for messages ("spec", "release")
     */
    public static <T> T read(String source, String text, Class<T> type, String what, Problem problems) {
        if (text.isBlank()) {
            throw problems.at(source, 0, "the file is empty", null);
        }
        checkSyntax(source, text, problems);
        try {
            T value = MAPPER.readValue(text, type);
            if (value == null) {
                throw problems.at(source, 0, "the file holds no " + what, null);
            }
            return value;
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof InvalidYamlValueException invalid) {
                List<String> path = path(e);
                path.add(invalid.field());
                int line = YamlLines.lineOf(text, path).orElse(line(e.getLocation()));
                String message = invalid.getMessage().substring(invalid.field().length() + 2);
                throw problems.at(source, line, String.join(".", path) + ": " + message, e);
            }
            throw problems.at(source, line(e.getLocation()), e.getOriginalMessage(), e);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : "; known keys: " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw problems.at(source, line(text, e),
                    "unknown key '" + dotted(path(e)) + "'" + known, e);
        } catch (InvalidFormatException e) {
            String expected = e.getTargetType() != null && e.getTargetType().isEnum()
                    ? "one of " + Arrays.stream(e.getTargetType().getEnumConstants())
                            .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                    : "a " + (e.getTargetType() == null ? "value of another type" : e.getTargetType().getSimpleName());
            throw problems.at(source, line(text, e),
                    dotted(path(e)) + ": '" + e.getValue() + "' is not " + expected, e);
        } catch (JsonMappingException e) {
            String where = path(e).isEmpty() ? "" : dotted(path(e)) + ": ";
            String problem = e.getOriginalMessage().startsWith("Missing required creator property")
                    ? "is required" : e.getOriginalMessage();
            throw problems.at(source, line(text, e), where + problem, e);
        } catch (JsonProcessingException e) {
            throw problems.at(source, line(e.getLocation()),
                    "malformed YAML: " + firstLine(e.getOriginalMessage()), e);
        }
    }

    /**
     * Jackson reads lazily and may report a type mismatch before the syntax error that caused it; parse the whole
     * document first so that broken YAML is reported as such, at the line SnakeYAML points to.
     */
    private static void checkSyntax(String source, String text, Problem problems) {
        try {
            new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw problems.at(source, line, "malformed YAML: " + e.getProblem()
                    + (e.getContext() == null ? "" : " (" + e.getContext() + ")"), e);
        } catch (YAMLException e) {
            throw problems.at(source, 0, "malformed YAML: " + e.getMessage(), e);
        }
    }

    private static List<String> path(JsonMappingException e) {
        List<String> path = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            path.add(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]");
        }
        return path;
    }

    private static String dotted(List<String> path) {
        return path.isEmpty() ? "(top level)" : String.join(".", path);
    }

    /** The line of the key the failure is about; Jackson's location may be past it (end of block or file). */
    private static int line(String text, JsonMappingException e) {
        return YamlLines.lineOf(text, path(e)).orElse(line(e.getLocation()));
    }

    private static int line(JsonLocation location) {
        return location == null ? 0 : Math.max(location.getLineNr(), 0);
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining(" "));
    }
}
