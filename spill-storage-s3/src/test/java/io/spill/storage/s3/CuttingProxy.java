package io.spill.storage.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of the S3 test server that drops the connection in the middle
 * of a response body: after {@code cutAfter} bytes of the answer to a {@code GET} whose request
 * line holds {@code pathFragment}, as often as {@link #cutNext} says. Everything else passes
 * through unchanged.
 */
final class CuttingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final String pathFragment;
  private final long cutAfter;
  private final AtomicInteger cutsLeft = new AtomicInteger();
  private final AtomicInteger cuts = new AtomicInteger();

  CuttingProxy(int upstreamPort, String pathFragment, long cutAfter) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.upstreamPort = upstreamPort;
    this.pathFragment = pathFragment;
    this.cutAfter = cutAfter;
    Thread acceptor = new Thread(this::acceptLoop, "cutting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Cuts the next {@code n} matching responses. */
  void cutNext(int n) {
    cutsLeft.set(n);
  }

  /** How many responses were cut so far. */
  int cuts() {
    return cuts.get();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        AtomicBoolean target = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        Pumps.start(
            "cutting-proxy-pump",
            client,
            upstream,
            chunk -> {
              String text = new String(chunk, StandardCharsets.ISO_8859_1);
              int get = text.indexOf("GET /");
              if (get >= 0) {
                int end = text.indexOf('\n', get);
                String line = text.substring(get, end < 0 ? text.length() : end);
                target.set(line.contains(pathFragment));
                sent.set(0);
              }
              return true;
            },
            100);
        Pumps.start(
            "cutting-proxy-pump",
            upstream,
            client,
            chunk -> {
              if (target.get()
                  && sent.addAndGet(chunk.length) > cutAfter
                  && cutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                cuts.incrementAndGet();
                return false;
              }
              return true;
            },
            100);
      }
    } catch (IOException closed) {
      // the proxy was closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
