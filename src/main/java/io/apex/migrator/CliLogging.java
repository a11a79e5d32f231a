package io.apex.migrator;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a one-shot CLI command's logs go, decided from its arguments before Quarkus reads its config: the terminal
 * is the command's answer, so by default only warnings reach it (Kafka client chatter not even those);
 * {@code -v/--verbose} brings INFO back; while a live progress bar is drawn ({@code qdrant migrate --follow}) every
 * log line goes to a file instead, whose path the command prints once (a log line written between two redraws would
 * tear the bar).
 */
public final class CliLogging {

    /** The system property holding the log file of a followed command; the CLI prints it. */
    public static final String LOG_FILE_PROPERTY = "apex.cli.log-file";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private CliLogging() {
    }

    /** The config a CLI run with these arguments needs; a setting the user gave (property or env) wins. */
    static Map<String, String> settings(String[] args, String configuredLogFile) {
        List<String> list = Arrays.asList(args);
        Map<String, String> settings = new LinkedHashMap<>();
        boolean verbose = list.contains("-v") || list.contains("--verbose");
        if (!verbose) {
            settings.put("quarkus.log.console.level", "WARN");
            // the Kafka extension sets org.apache.kafka.clients to WARN itself: the more specific category wins
            settings.put("quarkus.log.category.\"org.apache.kafka\".level", "ERROR");
            settings.put("quarkus.log.category.\"org.apache.kafka.clients\".level", "ERROR");
        }
        // only migrate draws a bar; release --follow prints whole tables, which a log line between two cannot tear
        if (list.contains("migrate") && list.contains("--follow")) {
            String file = logFileArgument(list);
            if (file == null) {
                file = configuredLogFile != null && !configuredLogFile.isBlank() ? configuredLogFile
                        : Path.of(System.getProperty("java.io.tmpdir"), "apex-migrator-"
                                + LocalDateTime.now().format(STAMP) + "-" + ProcessHandle.current().pid() + ".log")
                                .toString();
            }
            settings.put("quarkus.log.console.enabled", "false");
            settings.put("quarkus.log.file.enabled", "true");
            settings.put("quarkus.log.file.path", file);
            settings.put("quarkus.log.category.\"org.apache.kafka\".level", verbose ? "INFO" : "WARN");
            settings.put("quarkus.log.category.\"org.apache.kafka.clients\".level", verbose ? "INFO" : "WARN");
            settings.put(LOG_FILE_PROPERTY, file);
        }
        return settings;
    }

    /** Applies {@link #settings} as system properties, leaving any the user set alone. */
    static void apply(String[] args) {
        String configured = System.getProperty("apex.log-file", System.getenv("APEX_LOG_FILE"));
        settings(args, configured).forEach((key, value) -> {
            if (System.getProperty(key) == null) {
                System.setProperty(key, value);
            }
        });
    }

    private static String logFileArgument(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--log-file=")) {
                return a.substring("--log-file=".length());
            }
            if (a.equals("--log-file") && i + 1 < args.size()) {
                return args.get(i + 1);
            }
        }
        return null;
    }
}
