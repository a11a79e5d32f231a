package io.apex.migrator.schema.neo4j;

import io.apex.migrator.schema.AppliedMigration;
import io.apex.migrator.schema.Checksum;
import io.apex.migrator.schema.IndexState;
import io.apex.migrator.schema.Migration;
import io.apex.migrator.schema.RunnerIdentity;
import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.ScriptFile;
import io.apex.migrator.schema.ScriptSplitter;
import io.apex.migrator.schema.Statement;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.StoreAdapter;
import io.apex.migrator.schema.StoreLock;
import io.apex.migrator.schema.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * Runs Cypher scripts and keeps {@code :SchemaVersion} nodes. Neo4j refuses schema commands (CREATE/DROP
 * CONSTRAINT or INDEX) and data writes in one transaction, so a script is cut into runs of consecutive
 * statements of one kind, each run in its own transaction. The {@code :SchemaVersion} node is written in the
 * last run when that run is data, so a data-only script is atomic with its record; otherwise in a transaction
 * of its own. A failure leaves earlier runs committed and no record: write scripts idempotently
 * ({@code IF NOT EXISTS}, {@code MERGE}) so the re-run after a fix is safe. Every statement runs only after the
 * lease lock is confirmed, and every data transaction commits only through the lock's fence ({@link LeaseLock}).
 */
public final class Neo4jAdapter implements StoreAdapter {

    private static final Pattern SCHEMA = Pattern.compile("(?is)^(?:CREATE|DROP)\\s+(?:OR\\s+REPLACE\\s+)?"
            + "(?:CONSTRAINT|(?:(?:RANGE|TEXT|POINT|LOOKUP|FULLTEXT|VECTOR|BTREE)\\s+)?INDEX)\\b.*");
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");
    static final String VERSION_LABEL = "SchemaVersion";

    private final Neo4jSettings settings;
    private final Driver driver;
    private final SessionConfig sessionConfig;
    private final LeaseLock lock;
    private final ScriptSplitter splitter = new ScriptSplitter(ScriptSplitter.Dialect.CYPHER);
    private volatile Runnable beforeStatement = () -> { };

    private Neo4jAdapter(Neo4jSettings settings, Driver driver) {
        this.settings = settings;
        this.driver = driver;
        this.sessionConfig = settings.database().map(SessionConfig::forDatabase).orElse(SessionConfig.defaultConfig());
        this.lock = new LeaseLock(driver, sessionConfig, settings.lockLease(), RunnerIdentity.current());
    }

    public static Neo4jAdapter connect(Neo4jSettings settings) {
        Driver driver = settings.openDriver(java.time.Duration.ofSeconds(10), 100);
        try {
            driver.verifyConnectivity();
        } catch (RuntimeException e) {
            driver.close();
            throw new SchemaException.StoreUnavailable(Store.NEO4J, settings.uri(), e.getMessage(), e);
        }
        return new Neo4jAdapter(settings, driver);
    }

    @Override
    public Store store() {
        return Store.NEO4J;
    }

    @Override
    public StoreLock lock() {
        return lock;
    }

    LeaseLock leaseLock() {
        return lock;
    }

    @Override
    public void prepareHistory() {
        try (var session = driver.session(sessionConfig)) {
            session.run("CREATE CONSTRAINT apex_schema_version IF NOT EXISTS FOR (v:" + VERSION_LABEL + ") "
                    + "REQUIRE v.version IS UNIQUE").consume();
        }
    }

    @Override
    public List<AppliedMigration> history() {
        try (var session = driver.session(sessionConfig)) {
            return session.executeRead(tx -> tx.run("MATCH (v:" + VERSION_LABEL + ") RETURN v ORDER BY v.version")
                    .list(r -> {
                        var v = r.get("v");
                        var d = v.get("duration").asIsoDuration();
                        return new AppliedMigration(new Version(v.get("version").asInt()), v.get("description").asString(),
                                v.get("script").asString(), new Checksum(v.get("checksum").asString()),
                                v.get("applied_at").asZonedDateTime().toInstant(),
                                Duration.ofSeconds(d.seconds(), d.nanoseconds()), v.get("applied_by").asString());
                    }));
        }
    }

    @Override
    public AppliedMigration apply(Migration migration, String appliedBy, String runId) {
        long started = System.nanoTime();
        return run(migration.script(), (tx) -> {
            AppliedMigration record = new AppliedMigration(migration.version(), migration.description(),
                    migration.script().name(), migration.checksum(), Instant.now(),
                    Duration.ofNanos(System.nanoTime() - started), appliedBy);
            tx.run("CREATE (:" + VERSION_LABEL + " {version: $version, description: $description, script: $script, "
                    + "checksum: $checksum, applied_at: datetime($appliedAt), "
                    + "duration: duration({milliseconds: $ms}), applied_by: $appliedBy})",
                    Map.of("version", record.version().number(), "description", record.description(),
                            "script", record.script(), "checksum", record.checksum().hex(),
                            "appliedAt", record.appliedAt().toString(), "ms", record.duration().toMillis(),
                            "appliedBy", appliedBy)).consume();
            return record;
        });
    }

    @Override
    public void revert(Migration migration, ScriptFile rollback, String runId) {
        run(rollback, tx -> {
            tx.run("MATCH (v:" + VERSION_LABEL + " {version: $version}) DELETE v",
                    Map.of("version", migration.version().number())).consume();
            return null;
        });
    }

    @Override
    public List<IndexState> indexes() {
        try (var session = driver.session(sessionConfig)) {
            return session.executeRead(tx -> tx.run("SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state, "
                    + "owningConstraint WHERE type <> 'LOOKUP' AND NOT name STARTS WITH 'apex_' RETURN * ORDER BY name")
                    .list(r -> new IndexState(r.get("name").asString(),
                            String.join(",", r.get("labelsOrTypes").asList(x -> x.asString())),
                            r.get("type").asString() + " " + r.get("properties").asList(x -> x.asString())
                                    + (r.get("owningConstraint").isNull() ? ""
                                    : " for constraint " + r.get("owningConstraint").asString()),
                            "ONLINE".equals(r.get("state").asString()))));
        }
    }

    @Override
    public void close() {
        lock.stopHeartbeat();
        driver.close();
    }

    private interface Recorder<T> {
        T record(Transaction tx);
    }

    private record Run(boolean schema, List<Statement> statements) {
    }

    private <T> T run(ScriptFile file, Recorder<T> recorder) {
        List<Run> runs = runs(splitter.split(file.content()));
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            boolean recordHere = i == runs.size() - 1 && !run.schema();
            try (var session = driver.session(sessionConfig); var tx = session.beginTransaction()) {
                for (Statement s : run.statements()) {
                    execute(file, tx, s);
                }
                T result = recordHere ? recorder.record(tx) : null;
                if (!run.schema()) {
                    // a schema transaction cannot also write the lock node: its statements were confirmed one by one
                    lock.fence(tx);
                }
                tx.commit();
                if (recordHere) {
                    return result;
                }
            }
            if (run.schema()) {
                awaitIndexes(file);
            }
        }
        lock.confirm();
        try (var session = driver.session(sessionConfig); var tx = session.beginTransaction()) {
            T result = recorder.record(tx);
            lock.fence(tx);
            tx.commit();
            return result;
        }
    }

    /** Index builds are asynchronous: wait until they are ONLINE before data statements or the record rely on them. */
    private void awaitIndexes(ScriptFile file) {
        try (var session = driver.session(sessionConfig)) {
            session.run("CALL db.awaitIndexes(600)").consume();
        } catch (Neo4jException e) {
            throw new SchemaException.ScriptFailed(file.name(), 1, "an index it created did not come online: "
                    + e.getMessage(), e);
        }
    }

    private static List<Run> runs(List<Statement> statements) {
        List<Run> runs = new ArrayList<>();
        for (Statement s : statements) {
            boolean schema = SCHEMA.matcher(s.text()).matches();
            if (runs.isEmpty() || runs.get(runs.size() - 1).schema() != schema) {
                runs.add(new Run(schema, new ArrayList<>()));
            }
            runs.get(runs.size() - 1).statements().add(s);
        }
        return runs;
    }

    /** Test seam: runs before each statement (and its lock check), e.g. to pause a runner between statements. */
    void beforeEachStatement(Runnable hook) {
        this.beforeStatement = hook;
    }

    private void execute(ScriptFile file, Transaction tx, Statement s) {
        beforeStatement.run();
        lock.confirm();
        try {
            tx.run(s.text()).consume();
        } catch (Neo4jException e) {
            String message = e.getMessage() == null ? e.code() : e.getMessage();
            Matcher at = POSITION.matcher(message);
            int line = at.find() ? s.line() + Integer.parseInt(at.group(1)) - 1 : s.line();
            String reason = message.lines().findFirst().orElse(message) + " (" + e.code() + ")";
            throw new SchemaException.ScriptFailed(file.name(), line, reason, e);
        }
    }
}
