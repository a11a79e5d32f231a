package io.apex.migrator.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script into statements at {@code ;} outside quotes and comments, remembering where each starts.
 * One splitter for both dialects: SQL adds dollar quoting ({@code $tag$...$tag$}); Cypher adds backtick names,
 * {@code //} comments and backslash escapes (its {@code $name} is a parameter, not a quote).
 */
public final class ScriptSplitter {

    /** The lexical rules that differ between the stores. */
    public enum Dialect { SQL, CYPHER }

    private final Dialect dialect;

    public ScriptSplitter(Dialect dialect) {
        this.dialect = dialect;
    }

    public List<Statement> split(String script) {
        List<Statement> out = new ArrayList<>();
        String s = script.replace("\r\n", "\n");
        int i = 0;
        int line = 1;
        int start = -1;
        int startLine = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            char next = i + 1 < s.length() ? s.charAt(i + 1) : '\0';
            if (c == '-' && next == '-' || dialect == Dialect.CYPHER && c == '/' && next == '/') {
                i = skipTo(s, i, "\n", false);
                continue;
            }
            if (c == '/' && next == '*') {
                int end = skipTo(s, i + 2, "*/", true);
                line += count(s, i, end);
                i = end;
                continue;
            }
            if (Character.isWhitespace(c) && start < 0) {
                line += c == '\n' ? 1 : 0;
                i++;
                continue;
            }
            if (c == ';') {
                if (start >= 0) {
                    out.add(new Statement(s.substring(start, i).strip(), startLine));
                    start = -1;
                }
                i++;
                continue;
            }
            if (start < 0) {
                start = i;
                startLine = line;
            }
            int end = i + 1;
            if (c == '\'' || c == '"' || dialect == Dialect.CYPHER && c == '`') {
                end = skipQuoted(s, i, c);
            } else if (dialect == Dialect.SQL && c == '$') {
                end = skipDollarQuoted(s, i);
            }
            line += count(s, i, end);
            i = end;
        }
        if (start >= 0 && !s.substring(start).isBlank()) {
            out.add(new Statement(s.substring(start).strip(), startLine));
        }
        return out;
    }

    private int skipQuoted(String s, int open, char quote) {
        int i = open + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (dialect == Dialect.CYPHER && c == '\\' && quote != '`') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2; // doubled quote is an escaped quote in both dialects
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return s.length();
    }

    /** {@code $tag$ ... $tag$}; a lone {@code $} (e.g. {@code $1}) is not a quote. */
    private static int skipDollarQuoted(String s, int open) {
        int close = s.indexOf('$', open + 1);
        if (close < 0) {
            return open + 1;
        }
        String tag = s.substring(open, close + 1);
        if (!tag.matches("\\$[A-Za-z_]?[A-Za-z0-9_]*\\$")) {
            return open + 1;
        }
        int end = s.indexOf(tag, close + 1);
        return end < 0 ? s.length() : end + tag.length();
    }

    private static int skipTo(String s, int from, String terminator, boolean include) {
        int at = s.indexOf(terminator, from);
        if (at < 0) {
            return s.length();
        }
        return include ? at + terminator.length() : at;
    }

    private static int count(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
