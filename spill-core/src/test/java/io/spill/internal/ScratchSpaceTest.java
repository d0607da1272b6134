package io.spill.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.internal.domain.SpillJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's scratch folders: plain java.nio, owned by a process, purged only once it ended. */
class ScratchSpaceTest {
  private static final String RUN = "20261203T101010101Z-0a1b2c3d";
  private static final String OTHER = "20261203T090909090Z-11112222";
  @TempDir Path tmp;

  @Test
  void aRunMakesItsFoldersAndRemovesThemAndOnlyThem() throws Exception {
    Path foreign =
        Files.writeString(
            Files.createDirectories(tmp.resolve("_spill")).resolve("teammate.txt"), "not spill's");
    ScratchSpace space = ScratchSpace.open(tmp, RUN);
    Path staged = space.newStagingDir();
    Files.writeString(staged.resolve("part-0.parquet"), "data");
    Files.createDirectories(space.engineDir()).resolve("duckdb.tmp").toFile().createNewFile();
    assertThat(tmp.resolve("_spill/scratch/" + RUN + ".owner")).isRegularFile();
    space.remove(staged);
    assertThat(staged).doesNotExist();
    assertThatThrownBy(() -> space.remove(tmp.resolve("_spill")))
        .isInstanceOf(IllegalArgumentException.class);
    space.close();
    assertThat(tmp.resolve("_spill/scratch")).doesNotExist();
    assertThat(foreign).hasContent("not spill's");
  }

  @Test
  void purgeRemovesTheFolderOfAProcessThatEndedAndKeepsLiveOnes() throws Exception {
    Process ended =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
            .start();
    assertThat(ended.waitFor(60, TimeUnit.SECONDS)).isTrue();
    plant(OTHER, new ScratchSpace.Owner(OTHER, thisHost(), ended.pid(), null));
    String live = "20261203T080808080Z-33334444";
    ScratchSpace.Owner me = ScratchSpace.Owner.ofThisProcess(live);
    plant(live, me);
    String elsewhere = "20261203T070707070Z-55556666";
    plant(elsewhere, new ScratchSpace.Owner(elsewhere, "another-host", ended.pid(), null));
    String reused = "20261203T060606060Z-77778888";
    plant(
        reused,
        new ScratchSpace.Owner(
            reused,
            thisHost(),
            me.pid(),
            Instant.parse(me.processStart()).minusSeconds(3600).toString()));

    List<String> problems = new ArrayList<>();
    List<String> removed =
        ScratchSpace.purge(tmp, RUN, Instant.now().minus(Duration.ofMinutes(5)), problems);
    assertThat(problems).isEmpty();
    assertThat(removed)
        .containsExactlyInAnyOrder(
            tmp.resolve("_spill/scratch/" + OTHER).toString(),
            tmp.resolve("_spill/scratch/" + reused).toString());
    assertThat(tmp.resolve("_spill/scratch/" + OTHER)).doesNotExist();
    assertThat(tmp.resolve("_spill/scratch/" + OTHER + ".owner")).doesNotExist();
    assertThat(tmp.resolve("_spill/scratch/" + live + "/staged/x")).exists();
    assertThat(tmp.resolve("_spill/scratch/" + elsewhere + "/staged/x")).exists();
  }

  @Test
  void purgeKeepsAFreshOwnerFileAndReportsAnUnreadableOne() throws Exception {
    plant(OTHER, new ScratchSpace.Owner(OTHER, thisHost(), Long.MAX_VALUE, null));
    Path fresh = tmp.resolve("_spill/scratch/" + OTHER + ".owner");
    Files.setLastModifiedTime(fresh, FileTime.from(Instant.now()));
    String garbled = "20261203T050505050Z-9999aaaa";
    Path bad = tmp.resolve("_spill/scratch/" + garbled + ".owner");
    Files.writeString(bad, "{ not json");
    Files.setLastModifiedTime(bad, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    List<String> problems = new ArrayList<>();
    assertThat(ScratchSpace.purge(tmp, RUN, Instant.now().minus(Duration.ofMinutes(5)), problems))
        .isEmpty();
    assertThat(problems).singleElement().asString().contains(garbled);
    assertThat(tmp.resolve("_spill/scratch/" + OTHER + "/staged/x")).exists();
    assertThat(bad).exists();
  }

  /** A scratch folder of {@code run} owned by {@code owner}, its owner file an hour old. */
  private void plant(String run, ScratchSpace.Owner owner) throws Exception {
    Path scratch = Files.createDirectories(tmp.resolve("_spill/scratch"));
    Path file = scratch.resolve(run + ".owner");
    Files.write(file, SpillJson.write(owner, "owner"));
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    Files.writeString(Files.createDirectories(scratch.resolve(run + "/staged")).resolve("x"), "x");
  }

  private static String thisHost() throws Exception {
    return java.net.InetAddress.getLocalHost().getHostName();
  }

  @Test
  void theDefaultRootIsMadeOwnerOnlyAndAnotherUsersIsRefused() throws Exception {
    String me = java.nio.file.Files.getOwner(tmp).getName();
    Path root = tmp.resolve("spill-" + me);
    ScratchSpace.claimDefaultRoot(root, me);
    assertThat(java.nio.file.Files.getPosixFilePermissions(root))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    java.nio.file.Files.setPosixFilePermissions(
        root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    ScratchSpace.claimDefaultRoot(root, me);
    assertThat(java.nio.file.Files.getPosixFilePermissions(root))
        .as("an existing folder of this user is tightened")
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    assertThatThrownBy(() -> ScratchSpace.claimDefaultRoot(root, "someone-else"))
        .isInstanceOf(io.spill.spi.SpillConfigurationException.class)
        .hasMessageContaining("belongs to user " + me + ", not to someone-else")
        .hasMessageContaining("localDir(...)");
    Path file = java.nio.file.Files.writeString(tmp.resolve("spill-file"), "x");
    assertThatThrownBy(() -> ScratchSpace.claimDefaultRoot(file, me))
        .hasMessageContaining("is not a folder");
  }
}
