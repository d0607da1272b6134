package io.spill.storage.uc;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.http.Encoding;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.service.files.DirectoryEntry;
import com.databricks.sdk.service.files.DownloadResponse;
import com.databricks.sdk.service.files.FilesAPI;
import com.databricks.sdk.service.files.ListDirectoryContentsRequest;
import com.databricks.sdk.service.files.ListDirectoryResponse;
import com.databricks.sdk.service.files.UploadRequest;
import io.spill.spi.SpillException;
import io.spill.spi.StoreEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The volume's files through the Databricks Files API ({@code /api/2.0/fs/files} and {@code
 * /api/2.0/fs/directories}), on the SDK's HTTP client without its retries: each request goes
 * through {@link Retrier}, which sends a fresh body each time. Every upload's size is read back and
 * every download's length checked against what the server announced, so neither a body the server
 * stored empty nor a body cut mid-way passes for whole.
 */
final class ApiFiles implements VolumeFiles {
  private static final long PAGE_SIZE = 1000;

  private final UcVolume volume;
  private final Workspace workspace;
  private final FilesAPI files;
  private final Retrier retrier;

  ApiFiles(UcVolume volume, Workspace workspace, Retrier retrier) {
    this.volume = volume;
    this.workspace = workspace;
    this.files = new FilesAPI(workspace.api());
    this.retrier = retrier;
  }

  /** The Files API path of a store path. */
  private String path(String relative) {
    return volume.path("/Volumes", relative);
  }

  /** Whether the volume exists: its folder answers. */
  boolean volumeExists() {
    String p = volume.volumePath("/Volumes");
    return retrier.call("check " + p + " through the Files API", () -> directoryExists(p));
  }

  @Override
  public List<StoreEntry> list(String directory) {
    String p = path(directory);
    List<StoreEntry> entries = new ArrayList<>();
    String token = null;
    do {
      String page = token;
      ListDirectoryResponse r =
          retrier.call(
              "list " + p,
              () -> {
                try {
                  return files
                      .impl()
                      .listDirectoryContents(
                          new ListDirectoryContentsRequest()
                              .setDirectoryPath(p)
                              .setPageSize(PAGE_SIZE)
                              .setPageToken(page));
                } catch (DatabricksError e) {
                  if (e.getStatusCode() == 404) {
                    return null; // no such directory (yet, or any more)
                  }
                  throw e;
                }
              });
      if (r == null) {
        return List.of();
      }
      if (r.getContents() != null) {
        for (DirectoryEntry e : r.getContents()) {
          boolean dir = Boolean.TRUE.equals(e.getIsDirectory());
          entries.add(
              new StoreEntry(
                  e.getName(),
                  dir,
                  dir || e.getFileSize() == null ? 0 : e.getFileSize(),
                  e.getLastModified() == null
                      ? Instant.EPOCH
                      : Instant.ofEpochMilli(e.getLastModified())));
        }
      }
      token =
          r.getNextPageToken() == null || r.getNextPageToken().isEmpty()
              ? null
              : r.getNextPageToken();
    } while (token != null);
    entries.sort(Comparator.comparing(StoreEntry::name));
    return entries;
  }

  @Override
  public byte[] read(String file) {
    String p = path(file);
    return retrier.call(
        "read " + p,
        () -> {
          DownloadResponse r = get(p, null);
          try (InputStream in = r.getContents()) {
            byte[] body = in.readAllBytes();
            checkLength(p, body.length, r.getContentLength());
            return body;
          }
        });
  }

  @Override
  public byte[] read(String file, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
    }
    if (length == 0) {
      return new byte[0];
    }
    String p = path(file);
    return retrier.call(
        "read " + length + " bytes at " + offset + " of " + p,
        () -> {
          DownloadResponse r = get(p, "bytes=" + offset + "-" + (offset + length - 1));
          Long announced = r.getContentLength();
          try (InputStream in = r.getContents()) {
            if (announced != null && announced > length) {
              in.skipNBytes(offset); // the server ignored the range and sent the whole file
            }
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
              if (announced != null && announced >= length) {
                throw new Retrier.TransientException(
                    "the body of "
                        + p
                        + " ended after "
                        + body.length
                        + " of "
                        + length
                        + " bytes at offset "
                        + offset);
              }
              throw new SpillException(
                  p
                      + " ends before "
                      + length
                      + " bytes at offset "
                      + offset
                      + " ("
                      + body.length
                      + " read)");
            }
            return body;
          }
        });
  }

  /** A GET of a file, whole or a range; 404 is an error naming the file. */
  private DownloadResponse get(String p, String range) throws IOException {
    Request req =
        new Request("GET", "/api/2.0/fs/files" + Encoding.encodeMultiSegmentPathParameter(p))
            .withHeader("Accept", "application/octet-stream");
    if (range != null) {
      req.withHeader("Range", range);
    }
    if (workspace.api().workspaceId() != null) {
      req.withHeader("X-Databricks-Workspace-Id", workspace.api().workspaceId());
    }
    try {
      return workspace.api().execute(req, DownloadResponse.class);
    } catch (DatabricksError e) {
      if (e.getStatusCode() == 404) {
        throw new SpillException(p + " does not exist", e);
      }
      throw e;
    }
  }

  private static void checkLength(String p, long got, Long announced)
      throws Retrier.TransientException {
    if (announced != null && got != announced) {
      throw new Retrier.TransientException(
          "the body of " + p + " ended after " + got + " of " + announced + " bytes");
    }
  }

  @Override
  public void write(String file, byte[] content) {
    String p = path(file);
    retrier.call(
        "write " + p,
        () -> {
          put(p, new ByteArrayInputStream(content), content.length);
          return null;
        });
  }

  /** One PUT with overwrite, then the stored size read back. */
  private void put(String p, InputStream body, long size) throws IOException {
    try (body) {
      files.upload(new UploadRequest().setFilePath(p).setContents(body).setOverwrite(true));
    }
    Long stored = files.getMetadata(p).getContentLength();
    if (stored == null || stored != size) {
      throw new Retrier.TransientException(
          "the server stored " + stored + " of " + size + " bytes of " + p);
    }
  }

  @Override
  public boolean deleteFile(String file) {
    String p = path(file);
    return retrier.call(
        "delete " + p,
        () -> {
          try {
            files.delete(p);
            return true;
          } catch (DatabricksError e) {
            if (e.getStatusCode() != 404) {
              throw e;
            }
          }
          if (directoryExists(p)) {
            throw new SpillException(
                p + " is a directory, not a file; spill deletes files one by" + " one");
          }
          return false;
        });
  }

  @Override
  public boolean deleteEmptyDirectory(String directory) {
    String p = path(directory);
    if (!list(directory).isEmpty()) {
      return false;
    }
    return retrier.call(
        "delete the empty directory " + p,
        () -> {
          try {
            files.deleteDirectory(p);
            return true;
          } catch (DatabricksError e) {
            if (e.getStatusCode() == 404) {
              return true;
            }
            if (e.getStatusCode() >= 400
                && e.getStatusCode() < 500
                && e.getStatusCode() != 429
                && !list(directory).isEmpty()) {
              return false; // something arrived between the listing and the delete
            }
            throw e;
          }
        });
  }

  @Override
  public boolean exists(String path) {
    String p = path(path);
    return retrier.call(
        "check " + p,
        () -> {
          try {
            files.getMetadata(p);
            return true;
          } catch (DatabricksError e) {
            if (e.getStatusCode() != 404) {
              throw e;
            }
          }
          return directoryExists(p);
        });
  }

  private boolean directoryExists(String p) {
    try {
      files.getDirectoryMetadata(p);
      return true;
    } catch (DatabricksError e) {
      if (e.getStatusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void download(String file, Path target) {
    String p = path(file);
    retrier.call(
        "download " + p,
        () -> {
          DownloadResponse r = get(p, null);
          long got;
          try (InputStream in = r.getContents();
              OutputStream out = Files.newOutputStream(target)) {
            got = in.transferTo(out);
          }
          Long announced =
              r.getContentLength() != null
                  ? r.getContentLength()
                  : files.getMetadata(p).getContentLength();
          checkLength(p, got, announced);
          return null;
        });
  }

  @Override
  public void upload(Path source, String file) {
    String p = path(file);
    retrier.call(
        "upload " + source + " to " + p,
        () -> {
          put(p, Files.newInputStream(source), Files.size(source));
          return null;
        });
  }
}
