package io.apex.migrator.cli;

import io.apex.migrator.pipeline.PairVerification;
import io.apex.migrator.qdrant.QdrantConfig;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qdrant verify}: range checksums and exact counts of any two collections, in this process. */
@Command(name = "verify", sortOptions = false,
        description = {"Compare two collections point for point: exact counts, and a checksum of every range of "
                + "ids (id, every named vector as stored, payload as canonical JSON) on both sides. Reads only; "
                + "no Kafka needed.",
            "Exit code 0 when they are equal, 1 when they differ (the differing ranges are listed)."})
final class VerifyCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--source", required = true, paramLabel = "COLLECTION", description = "Collection (or alias) taken as the truth.")
    String source;

    @Option(names = "--target", required = true, paramLabel = "COLLECTION", description = "Collection (or alias) compared with it.")
    String target;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Points per range (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", defaultValue = "4", description = "Ranges checked at once (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--host", description = "Qdrant host (default: apex.qdrant.host, localhost).")
    Optional<String> host;

    @Option(names = "--port", description = "Qdrant gRPC port (default: apex.qdrant.port, 6334).")
    Optional<Integer> port;

    @Mixin
    OutputFormat output;

    @Spec
    CommandSpec command;

    @Inject
    QdrantConfig config;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        QdrantSettings settings = config.settings();
        settings = settings.withEndpoint(host.orElse(settings.host()), port.orElse(settings.port()));
        try (QdrantGateway gateway = QdrantGateway.connect(settings)) {
            PairVerification.Report report = PairVerification.run(gateway, source, target, batchSize,
                    Math.min(batchSize, 256), threads);
            if (output.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("source", source);
                json.put("target", target);
                json.put("sourcePoints", report.sourcePoints());
                json.put("targetPoints", report.targetPoints());
                json.put("ranges", report.ranges());
                json.put("durationMs", report.durationMs());
                json.put("equal", report.equal());
                json.put("differing", report.differing().stream().map(d -> {
                    Map<String, Object> range = new LinkedHashMap<>();
                    range.put("index", d.index());
                    range.put("range", String.valueOf(d.range()));
                    range.put("sourcePoints", d.sourcePoints());
                    range.put("targetPoints", d.targetPoints());
                    return range;
                }).toList());
                output.print(out, json);
                return report.equal() ? 0 : CommandLines.EXIT_FAILURE;
            }
            out.printf("%s: %d points, %s: %d points; %d ranges checked in %d ms%n", source, report.sourcePoints(),
                    target, report.targetPoints(), report.ranges(), report.durationMs());
            if (report.equal()) {
                out.println("equal: every range matches");
                out.flush();
                return 0;
            }
            if (!report.differing().isEmpty()) {
                TextTable table = new TextTable("RANGE", "IDS", "SOURCE POINTS", "TARGET POINTS");
                report.differing().forEach(d -> table.row(d.index(), d.range(), d.sourcePoints(), d.targetPoints()));
                table.print(out);
            }
            out.printf("DIFFERENT: %d of %d ranges differ%s%n", report.differing().size(), report.ranges(),
                    report.sourcePoints() == report.targetPoints() ? "" : "; exact counts differ");
            out.flush();
            return CommandLines.EXIT_FAILURE;
        }
    }
}
