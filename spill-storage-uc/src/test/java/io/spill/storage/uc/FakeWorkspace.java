package io.spill.storage.uc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A Databricks workspace on 127.0.0.1, as far as spill and the Databricks SDK for Java use one,
 * following the published REST contract: the SDK's start-up probes ({@code
 * /.well-known/databricks-config}, {@code /oidc/.well-known/oauth-authorization-server}), the Files
 * API ({@code /api/2.0/fs/files}, {@code /api/2.0/fs/directories} with paging) and the Unity
 * Catalog volumes API ({@code /api/2.1/unity-catalog/volumes}), with bearer-token auth and
 * Databricks' JSON error bodies ({@code error_code}, {@code message}).
 *
 * <p>It serves one local folder as {@code /Volumes}: {@code /Volumes/c/s/v/x} is {@code
 * root/c/s/v/x}, a catalog and a schema are folders, a volume is a folder of a schema. A local
 * Spark given {@code file:<root>} as its volume prefix writes the same files, so a real sandwich
 * runs end to end off cluster.
 *
 * <p>Faults can be queued for the next matching request: an HTTP status, a connection closed before
 * any answer, a body cut after half its bytes (the declared length unchanged), an upload stored as
 * 0 bytes while the answer says success, a request carried out whose answer is lost, or a delay.
 */
final class FakeWorkspace implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A fault for one request. */
  sealed interface Fault permits Status, Reset, Truncate, StoreEmpty, Delay, LoseAnswer {}

  record Status(int code) implements Fault {}

  record Reset() implements Fault {}

  record Truncate() implements Fault {}

  record StoreEmpty() implements Fault {}

  record Delay(long millis) implements Fault {}

  /** The request is carried out, and the connection closes before the answer. */
  record LoseAnswer() implements Fault {}

  private record Planned(String method, String pathPart, Fault fault) {}

  /**
   * One request as the server saw it, recorded when it arrives; its status is set before the answer
   * leaves (-1: closed without an answer), so a client never sees an answer the record does not
   * have yet.
   */
  record Seen(String method, String path, AtomicInteger code, String authorization) {
    int status() {
      return code.get();
    }
  }

  private static final ThreadLocal<Seen> CURRENT = new ThreadLocal<>();

  private final HttpServer server;
  private final Path root;
  private final String token;
  private final int pageSize;
  private final ConcurrentLinkedQueue<Planned> faults = new ConcurrentLinkedQueue<>();

  /** The comments of the volumes created through the volumes API, by full name. */
  private final Map<String, String> comments = new java.util.concurrent.ConcurrentHashMap<>();

  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  /**
   * Starts a workspace serving {@code root} as {@code /Volumes}.
   *
   * @param token the one token it accepts
   * @param pageSize the most entries a directory listing page holds (small, to exercise paging)
   */
  FakeWorkspace(Path root, String token, int pageSize) throws IOException {
    this.root = root;
    this.token = token;
    this.pageSize = pageSize;
    Files.createDirectories(root);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(
        Executors.newFixedThreadPool(
            16,
            r -> {
              Thread t = new Thread(r, "fake-workspace");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  /** The workspace URL, {@code http://127.0.0.1:<port>}. */
  String host() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The folder served as {@code /Volumes}. */
  Path root() {
    return root;
  }

  /** Makes a catalog and schema (folders), as an administrator would beforehand. */
  void createSchema(String catalog, String schema) throws IOException {
    Files.createDirectories(root.resolve(catalog).resolve(schema));
  }

  /** Queues a fault for the next request whose method matches and whose path holds a part. */
  void inject(String method, String pathPart, Fault fault) {
    faults.add(new Planned(method, pathPart, fault));
  }

  /** Faults queued and not yet used. */
  int pendingFaults() {
    return faults.size();
  }

  /** Every request so far. */
  List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** How many requests had this method and a path holding {@code pathPart}. */
  long count(String method, String pathPart) {
    return seen.stream()
        .filter(s -> s.method().equals(method) && s.path().contains(pathPart))
        .count();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---------------------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String rawPath = ex.getRequestURI().getRawPath();
    String path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    Seen current =
        new Seen(
            method, path, new AtomicInteger(), ex.getRequestHeaders().getFirst("Authorization"));
    seen.add(current);
    CURRENT.set(current);
    try {
      Planned planned = takeFault(method, path);
      if (planned != null && planned.fault() instanceof Delay d) {
        Thread.sleep(d.millis());
      }
      if (planned != null && planned.fault() instanceof Reset) {
        current.code().set(-1);
        return; // closed without an answer
      }
      if (planned != null && planned.fault() instanceof Status s) {
        ex.getRequestBody().readAllBytes();
        error(
            ex,
            s.code(),
            s.code() == 429
                ? "REQUEST_LIMIT_EXCEEDED"
                : s.code() == 503 ? "TEMPORARILY_UNAVAILABLE" : "INTERNAL_ERROR",
            "injected");
        return;
      }
      Fault fault = planned == null ? null : planned.fault();
      if (path.equals("/.well-known/databricks-config")) {
        json(
            ex,
            200,
            Map.of(
                "workspace_id", "1234567890", "oidc_endpoint", host() + "/oidc", "cloud", "aws"));
      } else if (path.equals("/oidc/.well-known/oauth-authorization-server")) {
        json(
            ex,
            200,
            Map.of(
                "authorization_endpoint",
                host() + "/oidc/v1/authorize",
                "token_endpoint",
                host() + "/oidc/v1/token"));
      } else if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        error(ex, 401, "UNAUTHENTICATED", "Invalid access token.");
      } else if (path.startsWith("/api/2.0/fs/files/Volumes/")) {
        file(ex, method, local(path, "/api/2.0/fs/files/Volumes/"), fault);
      } else if (path.startsWith("/api/2.0/fs/directories/Volumes/")) {
        directory(ex, method, local(path, "/api/2.0/fs/directories/Volumes/"));
      } else if (path.startsWith("/api/2.1/unity-catalog/volumes")) {
        volumes(ex, method, path.substring("/api/2.1/unity-catalog/volumes".length()), fault);
      } else {
        error(ex, 404, "ENDPOINT_NOT_FOUND", "No API found for '" + method + " " + path + "'");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      // the client went away, or a body was cut on purpose; the exchange is closed below
    } finally {
      try {
        ex.close();
      } catch (RuntimeException cut) {
        // closing a body cut short drops the connection, as intended
      }
      CURRENT.remove();
    }
  }

  private Planned takeFault(String method, String path) {
    for (Planned p : faults) {
      if (p.method().equals(method) && path.contains(p.pathPart()) && faults.remove(p)) {
        return p;
      }
    }
    return null;
  }

  /** A path under {@code /Volumes}, refused if it climbs out. */
  private Path local(String path, String prefix) {
    Path p = root.resolve(path.substring(prefix.length())).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("outside the volumes: " + path);
    }
    return p;
  }

  /** Whether {@code p} is inside a volume ({@code root/c/s/v/...}) that exists. */
  private boolean inExistingVolume(Path p) {
    Path rel = root.relativize(p);
    return rel.getNameCount() >= 3 && Files.isDirectory(root.resolve(rel.subpath(0, 3)));
  }

  private int file(HttpExchange ex, String method, Path p, Fault fault) throws IOException {
    switch (method) {
      case "GET", "HEAD" -> {
        if (!Files.isRegularFile(p)) {
          ex.getRequestBody().readAllBytes();
          return error(ex, 404, "NOT_FOUND", "The file being accessed is not found.");
        }
        long size = Files.size(p);
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.getResponseHeaders().set("Last-Modified", Files.getLastModifiedTime(p).toString());
        if (method.equals("HEAD")) {
          ex.getResponseHeaders().set("Content-Length", Long.toString(size));
          send(ex, 200, -1);
          return 200;
        }
        byte[] all = Files.readAllBytes(p);
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        int to = all.length;
        int code = 200;
        if (range != null && range.startsWith("bytes=")) {
          String[] r = range.substring(6).split("-");
          from = (int) Math.min(Long.parseLong(r[0]), all.length);
          to = (int) Math.min(all.length, Long.parseLong(r[1]) + 1);
          code = 206;
          ex.getResponseHeaders()
              .set("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + all.length);
        }
        int length = to - from;
        send(ex, code, length == 0 ? -1 : length);
        OutputStream out = ex.getResponseBody();
        if (fault instanceof Truncate) {
          out.write(all, from, length / 2);
          out.flush();
          throw new IOException("cut"); // closes the connection with the body short
        }
        out.write(all, from, length);
        return code;
      }
      case "PUT" -> {
        byte[] body = ex.getRequestBody().readAllBytes();
        if (!inExistingVolume(p)) {
          return error(ex, 404, "NOT_FOUND", "The volume does not exist.");
        }
        String query = String.valueOf(ex.getRequestURI().getQuery());
        if (Files.exists(p) && !query.contains("overwrite=true")) {
          return error(ex, 409, "ALREADY_EXISTS", "The file being created already exists.");
        }
        if (Files.isDirectory(p)) {
          return error(ex, 409, "ALREADY_EXISTS", "A directory exists at this path.");
        }
        Files.createDirectories(p.getParent()); // the Files API creates missing parents
        Path tmp = p.resolveSibling(".fake-upload-" + System.nanoTime());
        Files.write(tmp, fault instanceof StoreEmpty ? new byte[0] : body);
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        send(ex, 204, -1);
        return 204;
      }
      case "DELETE" -> {
        if (!Files.isRegularFile(p)) {
          return error(ex, 404, "NOT_FOUND", "The file being accessed is not found.");
        }
        Files.delete(p);
        send(ex, 204, -1);
        return 204;
      }
      default -> {
        return error(ex, 405, "METHOD_NOT_ALLOWED", method);
      }
    }
  }

  private int directory(HttpExchange ex, String method, Path p) throws IOException {
    switch (method) {
      case "GET" -> {
        if (!Files.isDirectory(p)) {
          return error(ex, 404, "NOT_FOUND", "The directory being accessed is not found.");
        }
        Map<String, String> q = query(ex);
        int size = Math.min(pageSize, Integer.parseInt(q.getOrDefault("page_size", "1000")));
        List<Path> children;
        try (Stream<Path> s = Files.list(p)) {
          children = s.sorted(Comparator.comparing(c -> c.getFileName().toString())).toList();
        }
        int start = Integer.parseInt(q.getOrDefault("page_token", "0"));
        List<Map<String, Object>> contents = new ArrayList<>();
        for (Path c :
            children.subList(
                Math.min(start, children.size()), Math.min(start + size, children.size()))) {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put(
              "path",
              "/Volumes/"
                  + root.relativize(c).toString().replace('\\', '/')
                  + (Files.isDirectory(c) ? "/" : ""));
          e.put("is_directory", Files.isDirectory(c));
          if (!Files.isDirectory(c)) {
            e.put("file_size", Files.size(c));
            e.put("last_modified", Files.getLastModifiedTime(c).toMillis());
          }
          e.put("name", c.getFileName().toString());
          contents.add(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contents", contents);
        if (start + size < children.size()) {
          body.put("next_page_token", Integer.toString(start + size));
        }
        return json(ex, 200, body);
      }
      case "HEAD" -> {
        send(ex, Files.isDirectory(p) ? 200 : 404, -1);
        return Files.isDirectory(p) ? 200 : 404;
      }
      case "PUT" -> {
        if (!inExistingVolume(p)) {
          return error(ex, 404, "NOT_FOUND", "The volume does not exist.");
        }
        Files.createDirectories(p);
        send(ex, 204, -1);
        return 204;
      }
      case "DELETE" -> {
        try {
          if (!Files.isDirectory(p)) {
            return error(ex, 404, "NOT_FOUND", "The directory being accessed is not found.");
          }
          Files.delete(p);
        } catch (DirectoryNotEmptyException e) {
          return error(ex, 400, "DIRECTORY_NOT_EMPTY", "The directory is not empty.");
        } catch (NoSuchFileException e) {
          return error(ex, 404, "NOT_FOUND", "The directory being accessed is not found.");
        }
        send(ex, 204, -1);
        return 204;
      }
      default -> {
        return error(ex, 405, "METHOD_NOT_ALLOWED", method);
      }
    }
  }

  private int volumes(HttpExchange ex, String method, String rest, Fault fault) throws IOException {
    if (method.equals("POST") && rest.isEmpty()) {
      Map<?, ?> body = JSON.readValue(ex.getRequestBody(), Map.class);
      String c = String.valueOf(body.get("catalog_name"));
      String s = String.valueOf(body.get("schema_name"));
      String v = String.valueOf(body.get("name"));
      Path schema = root.resolve(c).resolve(s);
      if (!Files.isDirectory(schema)) {
        return error(
            ex, 404, "SCHEMA_DOES_NOT_EXIST", "Schema '" + c + "." + s + "' does not exist.");
      }
      try {
        Files.createDirectory(schema.resolve(v));
        if (body.get("comment") != null) {
          comments.put(c + "." + s + "." + v, String.valueOf(body.get("comment")));
        }
        if (fault instanceof LoseAnswer) {
          CURRENT.get().code().set(-1);
          return -1; // created; the connection closes without an answer
        }
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return error(
            ex,
            409,
            "RESOURCE_ALREADY_EXISTS",
            "Volume '" + c + "." + s + "." + v + "' already exists");
      }
      return json(
          ex,
          200,
          Map.of(
              "catalog_name",
              c,
              "schema_name",
              s,
              "name",
              v,
              "full_name",
              c + "." + s + "." + v,
              "volume_type",
              "MANAGED"));
    }
    String[] name = rest.replaceFirst("^/", "").split("\\.");
    Path volume = name.length == 3 ? root.resolve(name[0]).resolve(name[1]).resolve(name[2]) : null;
    if (volume == null || !Files.isDirectory(volume)) {
      ex.getRequestBody().readAllBytes();
      return error(ex, 404, "RESOURCE_DOES_NOT_EXIST", "Volume '" + rest + "' does not exist.");
    }
    if (method.equals("GET")) {
      Map<String, String> info = new java.util.TreeMap<>();
      info.put("full_name", String.join(".", name));
      info.put("volume_type", "MANAGED");
      String comment = comments.get(String.join(".", name));
      if (comment != null) {
        info.put("comment", comment);
      }
      return json(ex, 200, info);
    }
    if (method.equals("DELETE")) { // as Unity Catalog does: a managed volume goes with its files
      comments.remove(String.join(".", name));
      try (Stream<Path> all = Files.walk(volume)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      return json(ex, 200, Map.of());
    }
    return error(ex, 405, "METHOD_NOT_ALLOWED", method);
  }

  /** Sends the status line, recording the status first. */
  private static void send(HttpExchange ex, int code, long length) throws IOException {
    Seen current = CURRENT.get();
    if (current != null) {
      current.code().set(code);
    }
    ex.sendResponseHeaders(code, length);
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> q = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          q.put(
              pair.substring(0, eq),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  private static int error(HttpExchange ex, int code, String errorCode, String message)
      throws IOException {
    return json(ex, code, Map.of("error_code", errorCode, "message", message));
  }

  private static int json(HttpExchange ex, int code, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    if (ex.getRequestMethod().equals("HEAD")) {
      send(ex, code, -1);
      return code;
    }
    send(ex, code, bytes.length);
    ex.getRequestBody().close();
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
    return code;
  }
}
