package io.spill.storage.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on 127.0.0.1 in front of the S3 test server that can be a slow link, and dies as a
 * server does: when a request line holds the trigger, it closes every connection and its listening
 * socket, so calls in flight break and new ones are refused, until {@link #revive()} listens on the
 * same port again.
 */
final class DyingProxy implements AutoCloseable {
  private final int upstreamPort;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicReference<String> trigger = new AtomicReference<>();
  private final CountDownLatch died = new CountDownLatch(1);
  private volatile ServerSocket server;
  private volatile long pausePerChunkMillis;

  DyingProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = listen(0);
    this.port = server.getLocalPort();
  }

  int port() {
    return port;
  }

  /** Dies at the first request whose request line holds {@code fragment}. */
  void dieAt(String fragment) {
    trigger.set(fragment);
  }

  /** Slows the answers down: a pause before each chunk of up to 8 KiB (a slow link). */
  void slowAnswers(long pauseMillis) {
    pausePerChunkMillis = pauseMillis;
  }

  /** Whether it died, waiting up to a minute for it. */
  boolean awaitDeath() throws InterruptedException {
    return died.await(60, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Listens again on the same port. */
  void revive() throws IOException {
    server = listen(port);
  }

  private ServerSocket listen(int on) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), on));
    Thread acceptor = new Thread(() -> acceptLoop(s), "dying-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
    return s;
  }

  private void die() {
    trigger.set(null);
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    open.clear();
    died.countDown();
  }

  private void acceptLoop(ServerSocket s) {
    try {
      while (true) {
        Socket client = s.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        open.add(client);
        open.add(upstream);
        Pumps.start(
            "dying-proxy-pump",
            client,
            upstream,
            chunk -> {
              String fragment = trigger.get();
              if (fragment != null
                  && new String(chunk, StandardCharsets.ISO_8859_1).contains(fragment)) {
                die();
                return false;
              }
              return true;
            },
            0);
        Pumps.start(
            "dying-proxy-pump",
            upstream,
            client,
            chunk -> {
              if (pausePerChunkMillis > 0) {
                try {
                  Thread.sleep(pausePerChunkMillis);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return false;
                }
              }
              return true;
            },
            0);
      }
    } catch (IOException closed) {
      // it died, or was closed
    }
  }

  @Override
  public void close() {
    die();
  }
}
