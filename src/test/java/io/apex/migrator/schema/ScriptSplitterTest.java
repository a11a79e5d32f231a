package io.apex.migrator.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptSplitterTest {

    @Test
    void sqlStatementsAreSplitOutsideQuotesAndCommentsWithTheirStartLines() {
        // given
        String script = "-- header; not a statement\n"
                + "CREATE TABLE a (x text DEFAULT 'semi;colon');\n"
                + "\n"
                + "/* block; comment\n spanning */ CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$\n"
                + "  LANGUAGE sql;\n"
                + "SELECT \"odd;name\" FROM a";

        // when
        List<Statement> statements = new ScriptSplitter(ScriptSplitter.Dialect.SQL).split(script);

        // then
        assertThat(statements).extracting(Statement::line).containsExactly(2, 5, 7);
        assertThat(statements.get(0).text()).isEqualTo("CREATE TABLE a (x text DEFAULT 'semi;colon')");
        assertThat(statements.get(1).text()).contains("$body$ SELECT 1; $body$").endsWith("LANGUAGE sql");
        assertThat(statements.get(2).text()).isEqualTo("SELECT \"odd;name\" FROM a");
    }

    @Test
    void cypherStatementsKeepBackticksAndParametersAndSkipSlashComments() {
        // given
        String script = "// V009; comment\n"
                + "CREATE INDEX `odd;name` IF NOT EXISTS FOR (n:N) ON (n.x);\n"
                + "MATCH (n:N {x: $value})\n"
                + "SET n.y = 'it\\'s; fine';";

        // when
        List<Statement> statements = new ScriptSplitter(ScriptSplitter.Dialect.CYPHER).split(script);

        // then
        assertThat(statements).extracting(Statement::line).containsExactly(2, 3);
        assertThat(statements.get(1).text()).isEqualTo("MATCH (n:N {x: $value})\nSET n.y = 'it\\'s; fine'");
        assertThat(statements.get(1).lineOfPosition(20)).isEqualTo(3);
        assertThat(statements.get(1).lineOfPosition(30)).isEqualTo(4);
    }
}
