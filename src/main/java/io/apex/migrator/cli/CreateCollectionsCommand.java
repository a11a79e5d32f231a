package io.apex.migrator.cli;

import io.apex.migrator.qdrant.CollectionOutcome;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.CollectionStatus;
import io.apex.migrator.qdrant.Drift;
import io.apex.migrator.qdrant.MemoryEstimate;
import io.apex.migrator.qdrant.ProvisioningReport;
import io.apex.migrator.qdrant.ProvisioningRequest;
import io.apex.migrator.qdrant.QdrantConfig;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qdrant create-collections}: the seed's create_collections.py, with drift detection. */
@Command(name = "create-collections", sortOptions = false,
        description = {"Create the versioned Qdrant collections from their specs (collections/*.yaml and "
                + "apex.qdrant.specs-dir): idempotent; payload indexes; an alias for a new logical name.",
            "An existing collection that differs from its spec is reported field by field and left untouched "
                + "(exit code 1)."})
final class CreateCollectionsCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--host", description = "Qdrant host (default: apex.qdrant.host, localhost).")
    Optional<String> host;

    @Option(names = "--port", description = "Qdrant gRPC port (default: apex.qdrant.port, 6334).")
    Optional<Integer> port;

    @Option(names = "--version", paramLabel = "N",
            description = "Collection version to provision, e.g. 2 (default: the newest version of each spec).")
    Optional<Integer> version;

    @Option(names = "--spec", paramLabel = "NAME",
            description = "Only this spec: a collection (documents_v2) or logical name (documents).")
    Optional<String> spec;

    @Option(names = "--no-quantization", description = "Create (and expect) collections without INT8 quantization.")
    boolean noQuantization;

    @Option(names = "--info-only",
            description = "Change nothing: show each collection's config, point count, index and alias status, "
                    + "drift, and an estimate of its vector memory with and without quantization.")
    boolean infoOnly;

    @Option(names = "--api-key", interactive = true, arity = "0..1", paramLabel = "KEY",
            description = "Prompt for the Qdrant API key. Prefer APEX_QDRANT_API_KEY or apex.qdrant.api-key: a key "
                    + "typed on the command line ends up in the shell history.")
    char[] apiKey;

    @Option(names = "--tls", negatable = true, description = "Use TLS (default: apex.qdrant.tls, false).")
    Optional<Boolean> tls;

    @Mixin
    OutputFormat output;

    @Spec
    CommandSpec command;

    @Inject
    QdrantConfig config;

    @Override
    public Integer call() {
        QdrantSettings settings = settings();
        ProvisioningRequest request = new ProvisioningRequest(spec, version, !noQuantization, Optional.empty());
        PrintWriter out = command.commandLine().getOut();
        try (QdrantGateway gateway = QdrantGateway.connect(settings)) {
            CollectionProvisioner provisioner = new CollectionProvisioner(gateway, config.specsDir());
            if (infoOnly && output.json()) {
                output.print(out, infoJson(settings, provisioner.inspect(request)));
                return 0;
            }
            if (infoOnly) {
                printInfo(out, settings, provisioner.inspect(request));
                return 0;
            }
            ProvisioningReport report = provisioner.provision(request);
            printReport(out, report);
            if (report.hasDrift()) {
                command.commandLine().getErr().println(command.commandLine().getColorScheme().errorText(
                        "error: " + report.drifted().size() + " of " + report.outcomes().size()
                                + " collections differ from their specs; nothing was changed on them. Align the "
                                + "collection or write a new spec version and migrate into it."));
                return CommandLines.EXIT_FAILURE;
            }
            return 0;
        }
    }

    private QdrantSettings settings() {
        QdrantSettings settings = config.settings();
        settings = settings.withEndpoint(host.orElse(settings.host()), port.orElse(settings.port()));
        if (apiKey != null && apiKey.length > 0) {
            settings = settings.withApiKey(Optional.of(new String(apiKey)));
            java.util.Arrays.fill(apiKey, '\0');
        }
        return tls.map(settings::withTls).orElse(settings);
    }

    private static void printReport(PrintWriter out, ProvisioningReport report) {
        TextTable table = new TextTable("COLLECTION", "RESULT", "INDEXES CREATED", "ALIAS");
        for (CollectionOutcome o : report.outcomes()) {
            table.row(o.collection(), o.result() == CollectionOutcome.Result.DRIFTED ? "DRIFT"
                    : o.result().name().toLowerCase(Locale.ROOT), o.indexesCreated().size(), o.alias().describe());
        }
        table.print(out);
        if (report.hasDrift()) {
            out.println();
            out.println("Drift (these collections were left as they are):");
            for (CollectionOutcome o : report.drifted()) {
                for (Drift d : o.drifts()) {
                    out.println("  " + o.collection() + "  " + d);
                }
            }
        }
        out.println();
        out.println(report.summary());
    }

    /** {@code --info-only --output json}: one object per spec'd collection (README "--output json"). */
    private static Map<String, Object> infoJson(QdrantSettings settings, List<CollectionStatus> statuses) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("endpoint", settings.endpoint());
        json.put("collections", statuses.stream().map(s -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("collection", s.spec().collection());
            c.put("exists", s.exists());
            c.put("status", s.status());
            c.put("points", s.exists() ? s.points() : null);
            c.put("vectors", s.vectors());
            c.put("hnsw", s.hnsw());
            c.put("quantization", s.quantization());
            c.put("payloadIndexesPresent", s.exists() ? s.indexesPresent() : null);
            c.put("payloadIndexesSpecified", s.spec().payloadIndexes().size());
            c.put("alias", s.alias().describe());
            c.put("drifts", s.drifts().stream().map(d -> {
                Map<String, Object> drift = new LinkedHashMap<>();
                drift.put("field", d.field());
                drift.put("expected", d.expected());
                drift.put("actual", d.actual());
                return drift;
            }).toList());
            Map<String, Object> memory = new LinkedHashMap<>();
            memory.put("dimension", s.memory().dimension());
            memory.put("float32Bytes", s.memory().float32Bytes());
            memory.put("int8Bytes", s.memory().int8Bytes());
            memory.put("savedBytes", s.memory().savedBytes());
            c.put("memoryEstimate", memory);
            return c;
        }).toList());
        return json;
    }

    private static void printInfo(PrintWriter out, QdrantSettings settings, List<CollectionStatus> statuses) {
        out.println("Qdrant " + settings.endpoint() + " (info only: nothing was changed)");
        TextTable table = new TextTable("COLLECTION", "STATUS", "POINTS", "VECTORS", "HNSW", "QUANTIZATION",
                "PAYLOAD INDEXES", "ALIAS", "DRIFT");
        for (CollectionStatus s : statuses) {
            table.row(s.spec().collection(), s.status(), s.exists() ? s.points() : "-", s.vectors(), s.hnsw(),
                    s.quantization(), s.exists() ? s.indexesPresent() + "/" + s.spec().payloadIndexes().size() : "-",
                    s.alias().describe(), !s.exists() ? "-" : s.drifts().isEmpty() ? "none" : s.drifts().size()
                            + " field(s): " + s.drifts().stream().map(Drift::field).toList());
        }
        table.print(out);
        out.println();
        out.println("Vector memory, ESTIMATE: points x dimension x 4 bytes (float32) vs 1 byte (INT8);");
        out.println("excludes the HNSW graph, payload and the original vectors INT8 keeps on disk.");
        TextTable memory = new TextTable("COLLECTION", "POINTS", "DIMENSION", "FLOAT32 (est.)", "INT8 (est.)",
                "SAVED (est.)");
        for (CollectionStatus s : statuses) {
            MemoryEstimate m = s.memory();
            memory.row(s.spec().collection(), m.points(), m.dimension(), MemoryEstimate.format(m.float32Bytes()),
                    MemoryEstimate.format(m.int8Bytes()), MemoryEstimate.format(m.savedBytes())
                            + (m.float32Bytes() == 0 ? "" : " (" + Math.round(100.0 * m.savedBytes()
                                    / m.float32Bytes()) + "%)"));
        }
        memory.print(out);
    }
}
