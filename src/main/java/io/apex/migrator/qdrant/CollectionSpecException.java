package io.apex.migrator.qdrant;

/** A collection spec file that cannot be used: malformed YAML, an unknown key, or a value out of range. */
public final class CollectionSpecException extends QdrantException {

    private final String source;
    private final int line;

    /**
     * @param source the spec's file (classpath resource or path)
     * @param line 1-based line of the problem, 0 when it is about the file as a whole
     */
    public CollectionSpecException(String source, int line, String problem, Throwable cause) {
        super(null, "collection spec " + source + (line > 0 ? " line " + line : "") + ": " + problem, cause);
        this.source = source;
        this.line = line;
    }

    /** The spec's file (classpath resource or path). */
    public String source() {
        return source;
    }

    /** 1-based line of the problem, 0 when it is about the file as a whole. */
    public int line() {
        return line;
    }
}
