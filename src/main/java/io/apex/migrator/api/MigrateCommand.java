package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code qdrant.migrate}: copy {@code source} into the collection {@code target} (provisioned from its spec),
 * then point {@code alias} at it with one atomic alias update.
 *
 * @param commandId unique id; a repeat is a no-op
 * @param source the collection to copy from (must exist)
 * @param target the collection to copy into; a collection spec of that name must exist
 * @param alias the alias readers use; null when no alias is to be switched
 * @param batchSize points per batch task (1..100000, default 1000)
 * @param dryRun plan and count only; nothing is written
 * @param swapAlias switch the alias after the copy (default true)
 * @param dropCollectionNamedLikeAlias opt-in for the case where a collection carries the alias' name: it is
 *        dropped and the alias created right after it (the measured gap is reported)
 * @param bulkLoad defer HNSW indexing on the target during the copy and restore it afterwards
 * @param cutover {@code auto} (swap when the copy is proven) or {@code manual} (wait for {@code qdrant.cutover})
 * @param recallThreshold recall@10 each quantized vector of the target must reach (0..1); null: the target spec's
 *        {@code migration.recall_threshold}, else {@code apex.pipeline.verify.recall-threshold}
 * @param snapshot take a Qdrant snapshot of the source before the run changes anything
 * @param inPlace change {@code source} itself to the config of the spec named {@code target} with
 *        {@code UpdateCollection} (only fields Qdrant changes in place), instead of copying; nothing is copied and
 *        the alias does not move. {@code target} may name the source's own spec
 */
@JsonIgnoreProperties(value = {"schemaVersion", "type"}, allowGetters = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigrateCommand(
        String commandId,
        String source,
        String target,
        String alias,
        Integer batchSize,
        Boolean dryRun,
        Boolean swapAlias,
        Boolean dropCollectionNamedLikeAlias,
        Boolean bulkLoad,
        String cutover,
        Double recallThreshold,
        Boolean snapshot,
        Boolean inPlace) implements Command {

    public static final int DEFAULT_BATCH_SIZE = 1000;
    public static final int MAX_BATCH_SIZE = 100_000;

    public MigrateCommand {
        Checks.text(commandId, "commandId");
        Checks.name(source, "source");
        Checks.name(target, "target");
        Checks.optionalName(alias, "alias");
        batchSize = Checks.range(batchSize == null ? DEFAULT_BATCH_SIZE : batchSize, 1, MAX_BATCH_SIZE, "batchSize");
        dryRun = Boolean.TRUE.equals(dryRun);
        swapAlias = alias != null && !Boolean.FALSE.equals(swapAlias);
        dropCollectionNamedLikeAlias = Boolean.TRUE.equals(dropCollectionNamedLikeAlias);
        bulkLoad = Boolean.TRUE.equals(bulkLoad);
        cutover = cutover == null ? "auto" : cutover;
        if (!cutover.equals("auto") && !cutover.equals("manual")) {
            throw new InvalidMessageException("$.cutover", "must be 'auto' or 'manual', was '" + cutover + "'");
        }
        if (recallThreshold != null && !(recallThreshold >= 0 && recallThreshold <= 1)) {
            throw new InvalidMessageException("$.recallThreshold", "must be between 0 and 1, was " + recallThreshold);
        }
        snapshot = Boolean.TRUE.equals(snapshot);
        inPlace = Boolean.TRUE.equals(inPlace);
        if (inPlace) {
            refuseWithInPlace(bulkLoad, "bulkLoad", "there is no copy to load");
            refuseWithInPlace(dropCollectionNamedLikeAlias, "dropCollectionNamedLikeAlias", "the alias does not move");
            refuseWithInPlace(cutover.equals("manual"), "cutover", "the alias does not move, so there is no cutover");
        } else if (source.equals(target)) {
            throw new InvalidMessageException("$.target", "must differ from the source '" + source + "'");
        }
        if (alias != null && alias.equals(target)) {
            throw new InvalidMessageException("$.alias", "must differ from the target collection '" + target + "'");
        }
    }

    private static void refuseWithInPlace(boolean set, String field, String why) {
        if (set) {
            throw new InvalidMessageException("$." + field, "cannot be combined with inPlace: " + why);
        }
    }

    /**
     * The collection the run leaves behind the alias, the one its events name as target: the target, or the
     * source itself when it is changed in place (the target then only names the spec).
     */
    public String runTarget() {
        return inPlace ? source : target;
    }

    /** A command without a recall threshold of its own and without a snapshot. */
    public MigrateCommand(String commandId, String source, String target, String alias, Integer batchSize,
            Boolean dryRun, Boolean swapAlias, Boolean dropCollectionNamedLikeAlias, Boolean bulkLoad, String cutover) {
        this(commandId, source, target, alias, batchSize, dryRun, swapAlias, dropCollectionNamedLikeAlias, bulkLoad,
                cutover, null, null, null);
    }

    /** A command with defaults, for code that builds commands (CLI, tests). */
    public static MigrateCommand of(String commandId, String source, String target, String alias) {
        return new MigrateCommand(commandId, source, target, alias, null, null, null, null, null, null);
    }

    public MigrateCommand withBatchSize(int size) {
        return new MigrateCommand(commandId, source, target, alias, size, dryRun, swapAlias,
                dropCollectionNamedLikeAlias, bulkLoad, cutover, recallThreshold, snapshot, inPlace);
    }

    public MigrateCommand withDryRun(boolean value) {
        return new MigrateCommand(commandId, source, target, alias, batchSize, value, swapAlias,
                dropCollectionNamedLikeAlias, bulkLoad, cutover, recallThreshold, snapshot, inPlace);
    }

    public MigrateCommand withSwapAlias(boolean value) {
        return new MigrateCommand(commandId, source, target, alias, batchSize, dryRun, value,
                dropCollectionNamedLikeAlias, bulkLoad, cutover, recallThreshold, snapshot, inPlace);
    }

    public MigrateCommand withDropCollectionNamedLikeAlias(boolean value) {
        return new MigrateCommand(commandId, source, target, alias, batchSize, dryRun, swapAlias, value,
                bulkLoad, cutover, recallThreshold, snapshot, inPlace);
    }

    public MigrateCommand withRecallThreshold(Double value) {
        return new MigrateCommand(commandId, source, target, alias, batchSize, dryRun, swapAlias,
                dropCollectionNamedLikeAlias, bulkLoad, cutover, value, snapshot, inPlace);
    }

    public MigrateCommand withSnapshot(boolean value) {
        return new MigrateCommand(commandId, source, target, alias, batchSize, dryRun, swapAlias,
                dropCollectionNamedLikeAlias, bulkLoad, cutover, recallThreshold, value, inPlace);
    }

    public MigrateCommand withInPlace(boolean value) {
        return new MigrateCommand(commandId, source, target, alias, batchSize, dryRun, swapAlias,
                dropCollectionNamedLikeAlias, bulkLoad, cutover, recallThreshold, snapshot, value);
    }

    @Override
    @JsonProperty("type")
    public CommandType type() {
        return CommandType.QDRANT_MIGRATE;
    }
}
