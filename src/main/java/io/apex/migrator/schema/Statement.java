package io.apex.migrator.schema;

/** One statement of a script and the 1-based line of the script where it starts (for error messages). */
public record Statement(String text, int line) {

    public Statement {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a statement has text");
        }
        if (line < 1) {
            throw new IllegalArgumentException("lines are 1-based, got " + line);
        }
    }

    /** The script line of a 1-based character position inside this statement (as servers report errors). */
    public int lineOfPosition(int position) {
        int end = Math.min(Math.max(position - 1, 0), text.length());
        int lines = 0;
        for (int i = 0; i < end; i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return line + lines;
    }
}
