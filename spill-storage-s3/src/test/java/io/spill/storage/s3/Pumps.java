package io.spill.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.function.Predicate;

/** What the test proxies share: copying one socket's bytes to another on a daemon thread. */
final class Pumps {
  private Pumps() {}

  /**
   * On a daemon thread, copies {@code from} to {@code to} while {@code pass} allows each chunk; a
   * chunk it refuses is cut to its first {@code keepOfRefused} bytes, and then both sockets close.
   */
  static void start(
      String name, Socket from, Socket to, Predicate<byte[]> pass, int keepOfRefused) {
    Thread t = new Thread(() -> pump(from, to, pass, keepOfRefused), name);
    t.setDaemon(true);
    t.start();
  }

  private static void pump(Socket from, Socket to, Predicate<byte[]> pass, int keepOfRefused) {
    try (from;
        to) {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        byte[] chunk = java.util.Arrays.copyOf(buffer, n);
        if (!pass.test(chunk)) {
          out.write(chunk, 0, Math.min(n, keepOfRefused));
          out.flush();
          return;
        }
        out.write(chunk);
        out.flush();
      }
    } catch (IOException closed) {
      // one side closed: the other goes too
    }
  }
}
