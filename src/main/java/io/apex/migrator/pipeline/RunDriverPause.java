package io.apex.migrator.pipeline;

/** A short pause of a driver before it tries a step again (a cutover hold given up for a passing reason). */
final class RunDriverPause {

    private static final long MILLIS = 250;

    private RunDriverPause() {
    }

    static void briefly() {
        try {
            Thread.sleep(MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
