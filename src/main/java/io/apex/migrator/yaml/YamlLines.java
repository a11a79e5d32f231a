package io.apex.migrator.yaml;

import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Finds the line of a key path in YAML text. Jackson reports where a record's constructor ran (the end of its
 * block), not where the offending key is; users need the key's line.
 */
public final class YamlLines {

    private static final java.util.regex.Pattern INDEX = java.util.regex.Pattern.compile("\\[(\\d+)]");

    private YamlLines() {
    }

    /** {@code b[2].c} split into {@code b, [2], c} (a key may hold dots: only a dot after an index splits). */
    private static List<String> keys(List<String> path) {
        List<String> keys = new java.util.ArrayList<>();
        for (String element : path) {
            for (String part : element.split("(?=\\[)|(?<=])\\.")) {
                if (!part.isEmpty()) {
                    keys.add(part);
                }
            }
        }
        return keys;
    }

    /** The 1-based line of the deepest key of {@code path} ({@code [i]} for a list element) that exists in {@code text}. */
    public static Optional<Integer> lineOf(String text, List<String> path) {
        Node node;
        try {
            node = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Optional<Integer> line = Optional.empty();
        for (String key : keys(path)) {
            java.util.regex.Matcher index = INDEX.matcher(key);
            if (index.matches() && node instanceof SequenceNode sequence) {
                int i = Integer.parseInt(index.group(1));
                if (i >= sequence.getValue().size()) {
                    break;
                }
                node = sequence.getValue().get(i);
                line = Optional.of(node.getStartMark().getLine() + 1);
                continue;
            }
            if (!(node instanceof MappingNode mapping)) {
                break;
            }
            Node next = null;
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
                    line = Optional.of(scalar.getStartMark().getLine() + 1);
                    next = tuple.getValueNode();
                    break;
                }
            }
            if (next == null) {
                break;
            }
            node = next;
        }
        return line;
    }
}
