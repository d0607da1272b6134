package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlStatementTest {
  private static final Map<String, String> THIS = Map.of("this", "\"spill_frame_1\"");

  @Test
  void bindsFramesAsCommonTableExpressionsAndLeavesTheQueryAlone() {
    assertThat(SqlStatement.bind("SELECT * FROM this", THIS))
        .isEqualTo("WITH \"this\" AS (SELECT * FROM \"spill_frame_1\") SELECT * FROM this");
    Map<String, String> two = new LinkedHashMap<>();
    two.put("this", "\"t1\"");
    two.put("Customers", "\"t2\"");
    assertThat(SqlStatement.bind("  -- note\n SELECT 1;  /* done */ ", two))
        .isEqualTo(
            "WITH \"this\" AS (SELECT * FROM \"t1\"), \"customers\" AS"
                + " (SELECT * FROM \"t2\") SELECT 1");
  }

  @Test
  void aQueryWithItsOwnWithGetsTheBindingsAdded() {
    assertThat(SqlStatement.bind("/* c */ with x AS (SELECT 1) SELECT * FROM x, this", THIS))
        .isEqualTo(
            "WITH \"this\" AS (SELECT * FROM \"spill_frame_1\"), x AS (SELECT 1)"
                + " SELECT * FROM x, this");
    assertThat(SqlStatement.bind("WITH RECURSIVE r(n) AS (SELECT 1) SELECT * FROM r", THIS))
        .isEqualTo(
            "WITH RECURSIVE \"this\" AS (SELECT * FROM \"spill_frame_1\"),"
                + " r(n) AS (SELECT 1) SELECT * FROM r");
    assertThat(SqlStatement.bind("SELECT 1 AS without_cte", THIS)).startsWith("WITH \"this\"");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT x FROM this; DROP TABLE this",
        "SELECT 1;SELECT 2",
        "SELECT ';' AS a; DELETE FROM t",
        "SELECT $$;$$ AS a; SELECT 2",
        "SELECT 1; -- fine so far\n SELECT 2"
      })
  void aSecondStatementIsRefused(String query) {
    assertThatThrownBy(() -> SqlStatement.bind(query, THIS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than one statement");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SELECT 'a;b' AS s FROM this",
        "SELECT 'it''s; fine' AS s FROM this",
        "SELECT E'it\\'s; fine' AS s FROM this",
        "SELECT $tag$ ; this ; $tag$ AS s FROM this",
        "SELECT \"odd;name\" FROM this",
        "SELECT 1 /* ; /* nested ; */ still a comment ; */ FROM this",
        "SELECT 1 -- ; comment\n FROM this",
        "SELECT a$b FROM this",
        "SELECT $1 FROM this"
      })
  void semicolonsInsideStringsNamesAndCommentsAreNoStatementEnd(String query) {
    assertThat(SqlStatement.bind(query, THIS)).endsWith(query);
  }

  @Test
  void brokenQueriesAreClearErrors() {
    assertThatThrownBy(() -> SqlStatement.bind("SELECT 'open", THIS))
        .hasMessageContaining("unterminated string");
    assertThatThrownBy(() -> SqlStatement.bind("SELECT $q$ open", THIS))
        .hasMessageContaining("unterminated dollar-quoted string $q$");
    assertThatThrownBy(() -> SqlStatement.bind("/* open", THIS))
        .hasMessageContaining("unterminated block comment");
    assertThatThrownBy(() -> SqlStatement.bind("  ;  ", THIS)).hasMessageContaining("empty");
    assertThatThrownBy(() -> SqlStatement.bind("SELECT 1", Map.of("bad name", "\"t\"")))
        .hasMessageContaining("not a plain SQL identifier");
  }
}
