package io.spill.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spill.spi.SpillException;
import io.spill.spi.StoreEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parallel downloads and uploads between S3 and the driver's disk, multipart for large files. */
class S3StagingTest {
  @TempDir Path dir;

  @Test
  void filesLargerThanAPartGoUpInPartsAndComeBackByteForByte() throws Exception {
    Map<String, String> options = new LinkedHashMap<>(S3TestServer.get().options());
    options.put("s3.part-size", "5MiB");
    options.put("s3.threads", "3");
    try (S3SpillStore store =
        S3SpillStore.open(
            "s3://" + S3TestServer.get().newBucket() + "/stage", S3Settings.from(options))) {
      Map<Path, String> uploads = new LinkedHashMap<>();
      Random random = new Random(7);
      int[] sizes = {0, 1, 5 << 20, (12 << 20) + 3, 70_000};
      for (int i = 0; i < sizes.length; i++) {
        byte[] content = new byte[sizes[i]];
        random.nextBytes(content);
        Path f = dir.resolve("up-" + i);
        Files.write(f, content);
        uploads.put(f, "files/f" + i + ".bin");
      }
      store.upload(uploads);
      assertThat(store.list("files"))
          .extracting(StoreEntry::size)
          .containsExactly(0L, 1L, 5L << 20, (12L << 20) + 3, 70_000L);
      assertThat(
              S3TestServer.get()
                  .admin()
                  .listMultipartUploads(b -> b.bucket(store.location().bucket()))
                  .uploads())
          .as("no upload left open")
          .isEmpty();

      Map<String, Path> downloads = new LinkedHashMap<>();
      uploads.forEach(
          (local, file) -> downloads.put(file, dir.resolve("down-" + local.getFileName())));
      store.download(downloads);
      for (var e : uploads.entrySet()) {
        assertThat(dir.resolve("down-" + e.getKey().getFileName()))
            .hasSameBinaryContentAs(e.getKey());
      }
    }
  }

  @Test
  void aMissingFileFailsTheDownloadNamingIt() {
    try (S3SpillStore store =
        S3SpillStore.open(
            "s3://" + S3TestServer.get().newBucket(), S3TestServer.get().settings())) {
      assertThatThrownBy(() -> store.download(Map.of("nope/part-0.parquet", dir.resolve("x"))))
          .isInstanceOf(SpillException.class)
          .hasMessageContaining("nope/part-0.parquet");
    }
  }

  @Test
  void batchDeletesRemoveManyFilesAndCountThem() {
    try (S3SpillStore store =
        S3SpillStore.open(
            "s3://" + S3TestServer.get().newBucket(), S3TestServer.get().settings())) {
      java.util.List<String> files = new java.util.ArrayList<>();
      for (int i = 0; i < 1005; i++) { // more than one batch of 1000
        files.add("many/f" + i);
      }
      files.parallelStream().forEach(f -> store.write(f, new byte[1]));
      store.write("many-beside/keep", new byte[1]);
      assertThat(store.deleteFiles(files)).isEqualTo(1005);
      assertThat(store.list("many")).isEmpty();
      assertThat(store.exists("many-beside/keep")).isTrue();
    }
  }
}
