package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Collections;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Collections as code: creates the collections the specs describe if they are absent (idempotent), with their
 * payload indexes and, for a new logical name, their alias. An existing collection that differs from its spec is
 * reported field by field and left untouched: never dropped, never silently reused. The facade that the CLI
 * ({@code qdrant create-collections}) and the Kafka command {@code qdrant.create-collections} both call.
 *
 * <p>Specs are read on every call, so a spec added to {@code apex.qdrant.specs-dir} needs no restart; all selected
 * specs are validated before the first request to Qdrant, so bad input creates nothing.
 */
@Singleton
public final class CollectionProvisioner {

    private static final Logger LOGGER = Logger.getLogger(CollectionProvisioner.class);

    private final QdrantGateway gateway;
    private final Optional<Path> specsDir;

    @Inject
    CollectionProvisioner(QdrantGateway gateway, QdrantConfig config) {
        this(gateway, config.specsDir());
    }

    /** For callers with their own gateway (the CLI's --host/--port) or specs directory. */
    public CollectionProvisioner(QdrantGateway gateway, Optional<Path> specsDir) {
        this.gateway = gateway;
        this.specsDir = specsDir;
    }

    /** The current specs (built-in plus the specs directory). */
    public CollectionSpecs specs() {
        return CollectionSpecs.load(specsDir);
    }

    /** The CreateCollection request the spec of {@code collection} would send (what the target will look like). */
    public Optional<io.qdrant.client.grpc.Collections.CreateCollection> createRequest(String collection) {
        return specs().byCollection(collection).map(spec -> SpecRequests.create(spec, true));
    }

    /**
     * What it takes to give the live collection {@code source} the config of the spec of {@code target}, field by
     * field (in place or copy); reads only.
     *
     * @throws UnknownCollectionSpecException if {@code target} has no spec
     */
    public ChangePlan plan(String source, String target) {
        CollectionSpec spec = specs().select(Optional.of(target), Optional.empty()).get(0);
        return ChangePlan.of(DriftDetector.compare(spec, true, gateway.collectionInfo(source),
                shardKeys(spec, source)));
    }

    /**
     * Gives the live collection {@code collection} the in-place fields of the spec of {@code specCollection}: one
     * {@code UpdateCollection} (Qdrant rebuilds segments in the background), then the shard keys and payload indexes
     * it lacks. Idempotent. The caller has checked with {@link #plan} that nothing needs a copy.
     */
    public void applyInPlace(String collection, String specCollection) {
        CollectionSpec spec = specs().select(Optional.of(specCollection), Optional.empty()).get(0);
        gateway.updateCollection(InPlaceRequests.toSpec(collection, spec, true));
        List<String> keys = shardKeys(spec, collection);
        for (Collections.CreateShardKeyRequest shardKey : SpecRequests.shardKeys(spec)) {
            if (!keys.contains(SpecRequests.label(shardKey.getRequest().getShardKey()))) {
                gateway.createShardKey(shardKey.toBuilder().setCollectionName(collection).build());
            }
        }
        Map<String, Collections.PayloadSchemaInfo> present = gateway.collectionInfo(collection).getPayloadSchemaMap();
        spec.payloadIndexes().forEach((field, type) -> {
            if (!present.containsKey(field) || present.get(field).getDataType() != type.schemaType()) {
                gateway.createPayloadIndex(collection, field, type.schemaType());
            }
        });
    }

    /**
     * Puts {@code collection} back to the config {@code before} read before {@link #applyInPlace}, in every field
     * UpdateCollection changes; shard keys and payload indexes it created stay (they hold no data of their own).
     */
    public void restoreInPlace(String collection, Collections.CollectionConfig before) {
        gateway.updateCollection(InPlaceRequests.restore(collection, before));
    }

    /** Creates what is missing and reports drift; see the class comment. */
    public ProvisioningReport provision(ProvisioningRequest request) {
        List<CollectionSpec> selected = specs().select(request.spec(), request.version());
        Map<String, String> aliases = new HashMap<>(gateway.aliases());
        List<CollectionOutcome> outcomes = new ArrayList<>();
        for (CollectionSpec spec : selected) {
            CollectionOutcome outcome = ensureCollection(spec, request, aliases);
            if (outcome.result() == CollectionOutcome.Result.DRIFTED) {
                LOGGER.warnf("%scollection %s differs from spec %s: %s", request.logTag(), spec.collection(),
                        spec.label(), outcome.drifts());
            }
            outcomes.add(outcome);
        }
        ProvisioningReport report = new ProvisioningReport(outcomes);
        LOGGER.infof("%screate-collections: %s", request.logTag(), report.summary());
        return report;
    }

    /** Reads each selected collection's state without changing anything. */
    public List<CollectionStatus> inspect(ProvisioningRequest request) {
        List<CollectionSpec> selected = specs().select(request.spec(), request.version());
        Map<String, String> aliases = gateway.aliases();
        List<CollectionStatus> statuses = new ArrayList<>();
        for (CollectionSpec spec : selected) {
            statuses.add(inspect(spec, request.quantization(), aliases));
        }
        return statuses;
    }

    private CollectionStatus inspect(CollectionSpec spec, boolean quantization, Map<String, String> aliases) {
        AliasState alias = aliasState(spec, aliases);
        Optional<Collections.CollectionInfo> info = info(spec.collection());
        if (info.isEmpty()) {
            return new CollectionStatus(spec, false, "absent", 0, "-", "-", "-", 0, List.of(), alias,
                    new MemoryEstimate(0, dimensions(spec)));
        }
        Collections.CollectionConfig config = info.get().getConfig();
        Collections.VectorsConfig vectorsConfig = config.getParams().getVectorsConfig();
        long dimension = vectorsConfig.hasParams() ? vectorsConfig.getParams().getSize()
                : vectorsConfig.getParamsMap().getMapMap().values().stream()
                        .mapToLong(Collections.VectorParams::getSize).sum();
        String vectors = vectorsConfig.hasParams() ? DriftDetector.describe(vectorsConfig.getParams())
                : String.join(", ", new java.util.TreeMap<>(vectorsConfig.getParamsMap().getMapMap()).entrySet()
                        .stream().map(e -> e.getKey() + " " + DriftDetector.describe(e.getValue())).toList());
        String hnsw = "m=" + config.getHnswConfig().getM() + " ef_construct=" + config.getHnswConfig().getEfConstruct();
        int indexesPresent = (int) spec.payloadIndexes().entrySet().stream()
                .filter(e -> info.get().getPayloadSchemaMap().containsKey(e.getKey())
                        && info.get().getPayloadSchemaMap().get(e.getKey()).getDataType() == e.getValue().schemaType())
                .count();
        long points = gateway.count(spec.collection());
        return new CollectionStatus(spec, true, info.get().getStatus().name().toLowerCase(Locale.ROOT), points,
                vectors, hnsw, DriftDetector.describe(config), indexesPresent,
                DriftDetector.compare(spec, quantization, info.get(), shardKeys(spec, spec.collection())), alias,
                new MemoryEstimate(points, dimension));
    }

    /** The dimensions of all the spec's dense vectors together (a point holds one of each). */
    private static long dimensions(CollectionSpec spec) {
        return spec.denseVectors().values().stream().mapToLong(CollectionSpec.VectorSpec::size).sum();
    }

    /** The shard keys of {@code collection}, read only when the spec has custom sharding. */
    private List<String> shardKeys(CollectionSpec spec, String collection) {
        return spec.shardingMethod() != CollectionSpec.ShardingMethod.CUSTOM ? List.of()
                : gateway.shardKeys(collection).stream().map(SpecRequests::label).toList();
    }

    private CollectionOutcome ensureCollection(CollectionSpec spec, ProvisioningRequest request,
            Map<String, String> aliases) {
        String collection = spec.collection();
        Optional<Collections.CollectionInfo> existing = info(collection);
        if (existing.isEmpty()) {
            try {
                List<String> indexes = create(spec, request);
                return new CollectionOutcome(collection, CollectionOutcome.Result.CREATED, List.of(), indexes,
                        ensureAlias(spec, aliases, request));
            } catch (CollectionAlreadyExistsException e) {
                // another runner created it between our check and our create: judge it like any existing one
                existing = Optional.of(gateway.collectionInfo(collection));
            }
        }
        List<Drift> drifts = DriftDetector.compare(spec, request.quantization(), existing.get(), shardKeys(spec, spec.collection()));
        if (!drifts.isEmpty()) {
            return new CollectionOutcome(collection, CollectionOutcome.Result.DRIFTED, drifts, List.of(),
                    new AliasState(spec.alias(), AliasState.Kind.SKIPPED, aliases.get(spec.alias())));
        }
        LOGGER.infof("%scollection %s matches spec %s: nothing to do", request.logTag(), collection, spec.label());
        return new CollectionOutcome(collection, CollectionOutcome.Result.UNCHANGED, List.of(), List.of(),
                ensureAlias(spec, aliases, request));
    }

    /**
     * Creates the collection, then its shard keys (custom sharding) and payload indexes. If one of them fails, the
     * collection this call created is deleted again: a collection without them would afterwards be reported as
     * drift forever.
     */
    private List<String> create(CollectionSpec spec, ProvisioningRequest request) {
        String collection = spec.collection();
        gateway.createCollection(SpecRequests.create(spec, request.quantization()));
        List<String> created = new ArrayList<>();
        try {
            for (Collections.CreateShardKeyRequest shardKey : SpecRequests.shardKeys(spec)) {
                gateway.createShardKey(shardKey);
            }
            for (Map.Entry<String, PayloadIndexType> index : spec.payloadIndexes().entrySet()) {
                gateway.createPayloadIndex(collection, index.getKey(), index.getValue().schemaType());
                created.add(index.getKey());
            }
        } catch (QdrantException e) {
            LOGGER.errorf("%screating shard keys or payload indexes of %s failed (%s); deleting the half-made collection",
                    request.logTag(), collection, e.getMessage());
            try {
                gateway.deleteCollection(collection);
            } catch (QdrantException deleteFailure) {
                e.addSuppressed(deleteFailure);
                LOGGER.errorf("%scould not delete %s: delete it by hand before re-running (%s)", request.logTag(),
                        collection, deleteFailure.getMessage());
            }
            throw e;
        }
        LOGGER.infof("%screated collection %s (spec %s, quantization %s) with %d payload indexes", request.logTag(),
                collection, spec.label(), request.quantization() && spec.quantized() ? "on" : "none",
                created.size());
        return created;
    }

    /**
     * Creates the alias when the name is free. An alias pointing elsewhere or a collection of that name is left
     * alone: moving readers is the migration's cutover, after verification, not provisioning's.
     */
    private AliasState ensureAlias(CollectionSpec spec, Map<String, String> aliases, ProvisioningRequest request) {
        AliasState state = aliasState(spec, aliases);
        if (state.kind() != AliasState.Kind.MISSING) {
            return state;
        }
        gateway.updateAliases(List.of(Collections.AliasOperations.newBuilder()
                .setCreateAlias(Collections.CreateAlias.newBuilder().setAliasName(spec.alias())
                        .setCollectionName(spec.collection()))
                .build()));
        aliases.put(spec.alias(), spec.collection());
        LOGGER.infof("%salias %s -> %s created", request.logTag(), spec.alias(), spec.collection());
        return new AliasState(spec.alias(), AliasState.Kind.CREATED, spec.collection());
    }

    private Optional<Collections.CollectionInfo> info(String collection) {
        try {
            return Optional.of(gateway.collectionInfo(collection));
        } catch (CollectionNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The alias's state without changing it. */
    private AliasState aliasState(CollectionSpec spec, Map<String, String> aliases) {
        String target = aliases.get(spec.alias());
        if (spec.collection().equals(target)) {
            return new AliasState(spec.alias(), AliasState.Kind.PRESENT, target);
        }
        if (target != null) {
            return new AliasState(spec.alias(), AliasState.Kind.POINTS_ELSEWHERE, target);
        }
        if (gateway.collectionExists(spec.alias())) {
            return new AliasState(spec.alias(), AliasState.Kind.NAME_TAKEN_BY_COLLECTION, spec.alias());
        }
        return new AliasState(spec.alias(), AliasState.Kind.MISSING, "");
    }
}
