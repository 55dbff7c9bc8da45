package dev.herald.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for servers a test must name before they start. */
final class Ports {

  private Ports() {}

  /**
   * A loopback port free right now. Herald deploys one ingest instance per core only on a port
   * they all name (port 0 would give each its own), so tests that run ingest as production does
   * pick one.
   */
  static int free() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
