package io.apex.migrator.qdrant;

import io.apex.migrator.yaml.YamlRecords;

/** Reads one spec file; every failure names the file, the line and the key. */
final class SpecParser {

    private SpecParser() {
    }

    /**
     * @param source where the text came from, for messages (e.g. {@code classpath:collections/documents_v2.yaml})
     * @param text the YAML
     */
    static CollectionSpec parse(String source, String text) {
        return YamlRecords.read(source, text, CollectionSpec.class, "spec", CollectionSpecException::new);
    }
}
