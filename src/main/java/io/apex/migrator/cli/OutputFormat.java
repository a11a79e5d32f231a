package io.apex.migrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.apex.migrator.api.Messages;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/** {@code -o/--output text|json}: a table for people, or one JSON document (README "--output json") for scripts. */
final class OutputFormat {

    enum Format { text, json }

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "text|json",
            description = "text (a table, the default) or json (one JSON document on stdout; shapes in the README).")
    Format format = Format.text;

    boolean json() {
        return format == Format.json;
    }

    void print(PrintWriter out, Object value) {
        try {
            out.println(Messages.get().mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
