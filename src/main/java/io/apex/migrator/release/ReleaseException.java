package io.apex.migrator.release;

/**
 * Root of what goes wrong with a release: a manifest that cannot be used, a release that is not known, a release
 * that cannot be applied as asked. Subtypes carry the facts (file and line, part); the CLI maps them to exit code 1.
 */
public class ReleaseException extends RuntimeException {

    public ReleaseException(String message) {
        super(message);
    }

    public ReleaseException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A manifest file that cannot be used: malformed YAML, an unknown key, a value out of range, an unknown spec. */
    public static final class InvalidManifest extends ReleaseException {

        private final String source;
        private final int line;

        /**
         * @param source the manifest's file (classpath resource or path)
         * @param line 1-based line of the problem, 0 when it is about the file as a whole
         */
        public InvalidManifest(String source, int line, String problem, Throwable cause) {
            super("release manifest " + source + (line > 0 ? " line " + line : "") + ": " + problem, cause);
            this.source = source;
            this.line = line;
        }

        public String source() {
            return source;
        }

        public int line() {
            return line;
        }
    }

    /** A release name no manifest defines. */
    public static final class UnknownRelease extends ReleaseException {

        public UnknownRelease(String name, java.util.Collection<String> known) {
            super("no release '" + name + "'; known releases: " + (known.isEmpty() ? "(none)"
                    : String.join(", ", known)));
        }
    }
}
