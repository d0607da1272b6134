package io.spill.internal.domain;

import io.spill.spi.SpillException;
import io.spill.spi.SpillStore;
import io.spill.spi.StoreEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A store in memory with object-store semantics: files under keys, directories only as prefixes, no
 * modification times. Tests of the catalog and run logic use it instead of Spark and a disk.
 */
public final class InMemoryStore implements SpillStore {
  private final TreeMap<String, byte[]> files = new TreeMap<>();
  private int reads;

  /** {@return how many reads (whole or ranged) the store answered} */
  public synchronized int reads() {
    return reads;
  }

  @Override
  public String sparkUri(String path) {
    return "mem://store/" + path;
  }

  @Override
  public synchronized List<StoreEntry> list(String directory) {
    String prefix = directory.isEmpty() ? "" : directory + "/";
    Map<String, StoreEntry> children = new TreeMap<>();
    for (var e : files.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      String rest = e.getKey().substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        children.put(rest, new StoreEntry(rest, false, e.getValue().length, Instant.EPOCH));
      } else {
        String dir = rest.substring(0, slash);
        children.putIfAbsent(dir, new StoreEntry(dir, true, 0, Instant.EPOCH));
      }
    }
    return new ArrayList<>(children.values());
  }

  @Override
  public synchronized byte[] read(String file) {
    reads++;
    byte[] b = files.get(check(file));
    if (b == null) {
      throw new SpillException("no file " + file);
    }
    return b.clone();
  }

  @Override
  public synchronized void write(String file, byte[] content) {
    files.put(check(file), content.clone());
  }

  @Override
  public synchronized boolean deleteFile(String file) {
    if (files.containsKey(check(file))) {
      files.remove(file);
      return true;
    }
    if (!list(file).isEmpty()) {
      throw new SpillException(file + " is a directory");
    }
    return false;
  }

  @Override
  public synchronized boolean deleteEmptyDirectory(String directory) {
    return list(check(directory)).isEmpty();
  }

  /** Every file, for assertions. */
  synchronized Map<String, byte[]> snapshot() {
    return new TreeMap<>(files);
  }

  private static String check(String path) {
    if (path.isEmpty()
        || path.startsWith("/")
        || path.contains("//")
        || List.of(path.split("/")).contains("..")) {
      throw new IllegalArgumentException("not a relative store path: '" + path + "'");
    }
    return path;
  }
}
