package io.apex.migrator.observability;

import org.jboss.logging.MDC;

/**
 * The run (and command) a thread works for, in the logging MDC: every log line of a run carries {@code runId}
 * (and {@code commandId} while a command is handled), shown in the JSON log's {@code mdc} object. Set by the
 * Kafka handlers and the local pipeline; {@link Scope#close()} restores what was there before (pool threads are
 * reused).
 */
public final class RunContext {

    public static final String RUN_ID = "runId";
    public static final String COMMAND_ID = "commandId";

    private RunContext() {
    }

    /** Puts the ids that are not null into the MDC until the scope is closed, which restores both entries. */
    public static Scope enter(String commandId, String runId) {
        Object previousCommand = MDC.get(COMMAND_ID);
        Object previousRun = MDC.get(RUN_ID);
        if (commandId != null) {
            MDC.put(COMMAND_ID, commandId);
        }
        if (runId != null) {
            MDC.put(RUN_ID, runId);
        }
        return () -> {
            restore(COMMAND_ID, previousCommand);
            restore(RUN_ID, previousRun);
        };
    }

    /**
     * The run this thread now works for, until the enclosing {@link #enter} scope closes: the coordinator learns
     * the run id only once it created the run. Also names the run on the current trace span.
     */
    public static void runIsNow(String runId) {
        MDC.put(RUN_ID, runId);
        PipelineTracing.tagRun(runId);
    }

    private static void restore(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /** Restores the MDC entries on close; never throws. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
