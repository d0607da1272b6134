package io.spill.storage.uc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fake workspace on 127.0.0.1 serving a temporary folder as {@code /Volumes}, and the options
 * that point spill at it: Spark writes the folder as {@code file:<folder>}, the driver reaches it
 * through the Files API ({@code api}) or through the folder itself as its mount ({@code mount}).
 */
final class UcFixture implements AutoCloseable {
  static final String TOKEN = "dapi-test-secret-0123456789abcdef";
  static final String CATALOG = "main";
  static final String SCHEMA = "team_a";

  final FakeWorkspace workspace;
  final Path volumes;

  UcFixture(Path folder) throws IOException {
    this.volumes = folder.resolve("Volumes");
    this.workspace = new FakeWorkspace(volumes, TOKEN, 3);
    workspace.createSchema(CATALOG, SCHEMA);
  }

  /** A fixture in a new temporary folder whose schema already holds the volume {@code name}. */
  static UcFixture withVolume(String name) {
    try {
      UcFixture f = new UcFixture(java.nio.file.Files.createTempDirectory("spill-uc-" + name));
      java.nio.file.Files.createDirectories(
          f.volumes.resolve(CATALOG).resolve(SCHEMA).resolve(name));
      return f;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Options for {@code access} (api or mount), DDL through the volumes API. */
  Map<String, String> options(String access) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("uc.host", workspace.host());
    o.put("uc.token", TOKEN);
    o.put("uc.files", access);
    o.put("uc.ddl", "api");
    o.put("uc.spark-root", "file:" + volumes);
    o.put("uc.mount-root", volumes.toString());
    o.put("uc.retry-timeout", "20s");
    return o;
  }

  UcSettings settings(String access) {
    return UcSettings.from(options(access));
  }

  /** The location of a volume in the fixture's schema. */
  static String location(String volume) {
    return "/Volumes/" + CATALOG + "/" + SCHEMA + "/" + volume;
  }

  @Override
  public void close() {
    workspace.close();
  }
}
