package io.apex.migrator.cli;

import io.apex.migrator.pipeline.CollectionRecall;
import io.apex.migrator.pipeline.RecallProbe;
import io.apex.migrator.qdrant.QdrantGateway;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qdrant recall}: how well a collection's default (indexed, maybe quantized) search finds the exact neighbours. */
@Command(name = "recall", mixinStandardHelpOptions = true,
        description = {"recall@k of a collection's default search against exact search, per dense vector: sampled "
                + "points are the queries (each excluding itself). Reads only; no Kafka needed.",
            "The recall gate measures the same before a cutover; this watches it afterwards (worker mode can export "
                + "it as apex_recall_at_k: apex.observability.recall.collections)."})
final class RecallCommand implements Callable<Integer> {

    @Option(names = "--collection", required = true, paramLabel = "ALIAS", description = "Alias or collection.")
    String collection;

    @Option(names = "--sample", defaultValue = "100", description = "Points sampled as queries (default ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours compared per query (default ${DEFAULT-VALUE}).")
    int k;

    @Mixin
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Inject
    QdrantGateway gateway;

    @Override
    public Integer call() {
        CollectionRecall.Report report = CollectionRecall.measure(gateway, collection, sample, k);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("collection", report.name());
            json.put("servedBy", report.collection());
            json.put("points", report.points());
            json.put("sampled", report.sampled());
            json.put("k", report.k());
            json.put("vectors", report.vectors().stream().map(v -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("vector", v.vector());
                m.put("queries", v.queries());
                m.put("recall", v.queries() == 0 ? null : round(v.recall()));
                return m;
            }).toList());
            output.print(out, json);
            return 0;
        }
        out.printf("%s (%s): %d points, %d sampled, recall@%d of the default search against exact search%n",
                report.name(), report.collection(), report.points(), report.sampled(), report.k());
        TextTable table = new TextTable("VECTOR", "QUERIES", "RECALL@" + report.k());
        for (RecallProbe.VectorRecall v : report.vectors()) {
            table.row(v.vector().isEmpty() ? "(unnamed)" : v.vector(), v.queries(),
                    v.queries() == 0 ? "-" : String.format("%.4f", v.recall()));
        }
        table.print(out);
        out.flush();
        return 0;
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
