package io.spill.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.spill.Mode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpillRunTest {
  private final CatalogFixture f = new CatalogFixture();

  private RunMarker marker(SpillRun run) {
    return SpillRun.marker(f.store, run.id()).orElseThrow();
  }

  @Test
  void theLeaseIsRenewedInTheContentNotTheModificationTime() {
    SpillRun run = f.startRun(Mode.PROD);
    RunMarker first = marker(run);
    assertThat(first.mode()).isEqualTo("PROD");
    assertThat(first.isLive(f.clock.instant(), SpillRun.LEASE)).isTrue();
    f.clock.advance(SpillRun.LEASE.plusSeconds(1));
    assertThat(marker(run).isLive(f.clock.instant(), SpillRun.LEASE)).isFalse();
    run.renew();
    RunMarker renewed = marker(run);
    assertThat(renewed.heartbeat()).isAfter(first.heartbeat());
    assertThat(renewed.startedAt()).isEqualTo(first.startedAt());
    assertThat(renewed.isLive(f.clock.instant(), SpillRun.LEASE)).isTrue();
  }

  @Test
  void pinsAreWrittenBeforePinReturnsAndOnlyLiveRunsCount() {
    SpillRun reader = f.startRun(Mode.DEV);
    SpillRun other = f.startRun(Mode.DEV);
    reader.pin(f.store, "cp");
    assertThat(marker(reader).pins()).containsExactly("cp");
    assertThat(other.pinnedByOthers(f.store)).containsExactly("cp");
    assertThat(reader.pinnedByOthers(f.store)).isEmpty();
    f.clock.advance(SpillRun.LEASE.plus(Duration.ofMinutes(1)));
    other.renew();
    assertThat(other.pinnedByOthers(f.store)).isEmpty();
  }

  @Test
  void endingRemovesTheNamespaceAndTheLeaseLast() {
    SpillRun run = f.startRun(Mode.DEV);
    f.store.write(SpillLayout.frameDir(run.id(), "a") + "/part-0.parquet", new byte[2]);
    f.store.write("_spill/runs/other-folder/keep", new byte[1]);
    List<RuntimeException> failures = new ArrayList<>();
    run.end(failures);
    assertThat(failures).isEmpty();
    assertThat(f.store.exists(SpillLayout.runDir(run.id()))).isFalse();
    assertThat(f.store.exists("_spill/runs/other-folder/keep")).isTrue();
    assertThat(SpillRun.marker(f.store, run.id())).isEmpty();
  }

  @Test
  void aWriterIsLiveWhileItsLeaseIsAndItselfUntilItsTeardown() {
    SpillRun run = f.startRun(Mode.DEV);
    SpillRun other = f.startRun(Mode.DEV);
    assertThat(run.isLive(f.store, other.id(), false)).isTrue();
    assertThat(run.isLive(f.store, run.id(), false)).isTrue();
    assertThat(run.isLive(f.store, run.id(), true)).isFalse();
    assertThat(run.isLive(f.store, "20200101T000000000Z-00000000", false)).isFalse();
    f.clock.advance(SpillRun.LEASE.plusSeconds(1));
    assertThat(run.isLive(f.store, other.id(), false)).isFalse();
  }
}
