package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code this}, named frames and closing frames, on DuckDB alone. */
class FrameSqlTest {
  private final DuckDbFrameEngine engine = DuckDbEngine.create();

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  private static List<String> rows(DuckDbFrame frame) throws Exception {
    List<String> out = new ArrayList<>();
    try (Statement s = frame.connection().createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + frame.tableName() + " ORDER BY ALL")) {
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? "|" : "").append(r.getString(i));
        }
        out.add(row.toString());
      }
    }
    return out;
  }

  @Test
  void thisIsATableNameOnlyWhereDuckDbReadsATableName() throws Exception {
    DuckDbFrame frame = engine.sql("SELECT 1 AS a, 'x' AS this");
    assertThat(rows(frame.sql("SELECT $t$this$t$ AS s, E'it\\'s this' AS e FROM this")))
        .containsExactly("this|it's this");
    assertThat(frame.sql("SELECT a AS this FROM this").columns()).containsExactly("this");
    assertThat(rows(frame.sql("SELECT this FROM this")))
        .as("the column, not the row")
        .containsExactly("x");
    assertThat(frame.sql("SELECT * EXCLUDE (this) FROM this").columns()).containsExactly("a");
    assertThat(rows(frame.sql("SELECT count(*) -- FROM this\n FROM this /* this */")))
        .containsExactly("1");
  }

  @Test
  void aSecondStatementIsRefusedAndTheFrameSurvives() throws Exception {
    DuckDbFrame frame = engine.sql("SELECT 1 AS x");
    assertThatThrownBy(() -> frame.sql("SELECT x FROM this; DROP TABLE this"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than one statement");
    assertThatThrownBy(() -> engine.sql("SELECT 1; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(frame.count()).isEqualTo(1);
  }

  @Test
  void namedFramesJoinAndShadowTablesOfTheSameName() throws Exception {
    try (Statement s = engine.connection().createStatement()) {
      s.execute("CREATE TABLE customers AS SELECT 99 AS id, 'a table, not the frame' AS name");
    }
    DuckDbFrame orders = engine.sql("SELECT * FROM (VALUES (1, 10), (2, 20)) t(id, amount)");
    DuckDbFrame customers = engine.sql("SELECT * FROM (VALUES (1, 'Ann'), (2, 'Bob')) t(id, name)");
    DuckDbFrame joined =
        orders.sql(
            "SELECT name, amount FROM this JOIN CUSTOMERS USING (id)",
            Map.of("Customers", customers));
    assertThat(rows(joined)).containsExactly("Ann|10", "Bob|20");
    assertThat(joined.isLazy()).isFalse();
    DuckDbFrame noThis =
        engine.sql("SELECT count(*) FROM o JOIN c USING (id)", Map.of("o", orders, "c", customers));
    assertThat(rows(noThis)).containsExactly("2");
    assertThatThrownBy(() -> orders.sql("SELECT 1", Map.of("THIS", customers)))
        .hasMessageContaining("'this' always means");
    assertThatThrownBy(() -> engine.sql("SELECT 1", Map.of("a", orders, "A", customers)))
        .hasMessageContaining("given twice");
    assertThatThrownBy(() -> orders.sql("SELECT 1", Map.of("no-dash", customers)))
        .hasMessageContaining("not a plain SQL identifier");
    try (DuckDbFrameEngine other = DuckDbEngine.create()) {
      DuckDbFrame foreign = other.sql("SELECT 1 AS id");
      assertThatThrownBy(() -> orders.sql("SELECT 1", Map.of("f", foreign)))
          .hasMessageContaining("another DuckDB engine");
    }
  }

  @Test
  @SuppressWarnings("try") // closes a frame inside its try on purpose: closing is idempotent
  void framesCloseIdempotentlyAndRefuseUseAfter() throws Exception {
    DuckDbFrame source = engine.sql("SELECT range AS x FROM range(3)");
    DuckDbFrame lazyChild = engine.sql("SELECT x FROM s WHERE x > 0", Map.of("s", source));
    DuckDbFrame lazySource;
    try (DuckDbFrame scoped = engine.create("SELECT range AS x FROM range(5)", true)) {
      lazySource = scoped;
      DuckDbFrame derivedLazy = scoped.sql("SELECT x FROM this");
      DuckDbFrame derivedEager = engine.sql("SELECT x FROM this2", Map.of("this2", source));
      assertThat(derivedLazy.isLazy()).isTrue();
      assertThat(derivedEager.isLazy()).isFalse();
      scoped.close();
      assertThatThrownBy(derivedLazy::count)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("computed from")
          .hasMessageContaining("was closed");
    }
    assertThat(lazySource.isReleased()).isTrue();
    assertThatThrownBy(lazySource::count)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was closed");
    assertThat(lazyChild.isLazy()).isFalse(); // an eager source gives an eager result
    source.close();
    source.close();
    engine.release(source);
    assertThat(lazyChild.count()).as("an eager result holds its own rows").isEqualTo(2);
    try (Statement s = engine.connection().createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM duckdb_tables()"
                    + " WHERE table_name = "
                    + io.spill.spi.helpers.Identifiers.quoteLiteral(
                        source.tableName().replace("\"", "")))) {
      r.next();
      assertThat(r.getLong(1)).as("the closed frame's table is dropped").isZero();
    }
  }

  @Test
  void framesInADatabaseFileNeitherCollideNorOutliveTheirEngine(@TempDir Path tmp)
      throws Exception {
    Path file = tmp.resolve("work.duckdb");
    for (int process = 0; process < 2; process++) {
      try (DuckDbFrameEngine persistent = DuckDbEngine.create(file)) {
        DuckDbFrame frame = persistent.sql("SELECT 42 AS answer");
        assertThat(frame.sql("SELECT answer FROM this").count()).isEqualTo(1);
      }
    }
    try (DuckDbFrameEngine after = DuckDbEngine.create(file);
        Statement s = after.connection().createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM duckdb_tables()"
                    + " WHERE table_name LIKE 'spill_frame%') + (SELECT count(*) FROM duckdb_views()"
                    + " WHERE view_name LIKE 'spill_frame%')")) {
      r.next();
      assertThat(r.getLong(1)).as("spill's frames left in the database file").isZero();
    }
  }
}
