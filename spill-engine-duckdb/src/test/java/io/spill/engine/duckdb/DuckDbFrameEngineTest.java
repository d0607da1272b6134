package io.spill.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.FrameEngine;
import io.spill.spi.SpillConfigurationException;
import io.spill.spi.UnsupportedColumnTypeException;
import io.spill.testkit.FrameEngineContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DuckDbFrameEngineTest extends FrameEngineContract<DuckDbFrame> {

  @Override
  protected FrameEngine<DuckDbFrame> newEngine() {
    return DuckDbEngine.create();
  }

  @Override
  protected DuckDbFrame frameWithNanosecondTimestamps() {
    return duck()
        .sql(
            "SELECT TIMESTAMP_NS '2024-01-01 00:00:00.000000999' AS ts,"
                + " {'t': TIMESTAMP_NS '2024-01-01 00:00:00.000000999'} AS s");
  }

  @Override
  protected DuckDbFrame frameWithATypeSparkLacks() {
    return duck().sql("SELECT 1 AS ok, INTERVAL 1 DAY AS bad");
  }

  private DuckDbFrameEngine duck() {
    return (DuckDbFrameEngine) engine;
  }

  @Test
  void sqlBindsThisToTheFrameOnly() {
    DuckDbFrame f = duck().sql("SELECT * FROM range(5) t(\"this\")");
    DuckDbFrame r =
        f.sql(
            "SELECT count(*) AS n, 'this' AS lit FROM this -- this stays\n"
                + "WHERE this.\"this\" >= 2");
    assertThat(r.count()).isEqualTo(1);
    assertThat(r.columns()).containsExactly("n", "lit");
    assertThat(r.columnTypes())
        .containsExactly(java.util.Map.entry("n", "BIGINT"), java.util.Map.entry("lit", "VARCHAR"));
    try (var s = r.connection().createStatement();
        var rs = s.executeQuery("SELECT n, lit FROM " + r.tableName())) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(3);
      assertThat(rs.getString(2)).isEqualTo("this");
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aReleasedFrameSaysSo() {
    DuckDbFrame f = duck().sql("SELECT 1 AS x");
    engine.release(f);
    assertThat(f.isReleased()).isTrue();
    assertThatThrownBy(f::count)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was closed (or released)");
  }

  @Test
  void typesWithoutASparkCounterpartFailNamingTheColumnAndAFix() {
    DuckDbFrame f = duck().sql("SELECT 1 AS ok, INTERVAL 1 DAY AS \"wait time\"");
    assertThatThrownBy(() -> engine.write(f, dir.resolve("o").toString(), 1 << 27))
        .isInstanceOf(UnsupportedColumnTypeException.class)
        .hasMessageContaining("column 'wait time'")
        .hasMessageContaining("INTERVAL")
        .hasMessageContaining("epoch_us");
    DuckDbFrame nested = duck().sql("SELECT {'a': union_value(n := 1)} AS s");
    assertThatThrownBy(() -> engine.write(nested, dir.resolve("u").toString(), 1 << 27))
        .isInstanceOf(UnsupportedColumnTypeException.class)
        .hasMessageContaining("column 's' (at s.a)")
        .hasMessageContaining("union_extract");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void losslessWideningsAreWritten() {
    DuckDbFrame f =
        duck()
            .sql(
                "SELECT 200::UTINYINT AS u8, 18446744073709551615::UBIGINT AS u64,"
                    + " uuid() AS id, [1, 2]::INTEGER[2] AS arr");
    var written = engine.write(f, dir.resolve("w").toString(), 1 << 27);
    assertThat(written.columns())
        .extracting(c -> c.type())
        .containsExactly("SMALLINT", "DECIMAL(20,0)", "VARCHAR", "INTEGER[]");
  }

  @Test
  void optionsAreValidatedAndApplied() {
    duck()
        .configure(
            Map.of(DuckDbFrameEngine.THREADS, "1", DuckDbFrameEngine.MEMORY_LIMIT, "512MiB"));
    try (var s = duck().connection().createStatement();
        var rs =
            s.executeQuery(
                "SELECT current_setting('threads')," + " current_setting('memory_limit')")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(1);
      assertThat(rs.getString(2)).isEqualTo("512.0 MiB");
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> duck().configure(Map.of(DuckDbFrameEngine.THREADS, "zero")))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> duck().configure(Map.of(DuckDbFrameEngine.MEMORY_LIMIT, "1GB'; --")))
        .isInstanceOf(SpillConfigurationException.class)
        .hasMessageContaining("4GB");
  }
}
