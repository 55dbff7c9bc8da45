package dev.herald.kafka.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of a child JVM started by {@link KafkaBroker}: runs the named main class, and halts
 * the JVM once its parent is gone. Its standard input closes when the parent test JVM dies in any
 * way (even SIGKILL) — and also when the parent stops the child on purpose, so after the end of
 * input the parent's liveness decides — so no broker outlives the build that started it.
 *
 * <p>Usage: {@code BrokerMain <main class> [args…]}.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: BrokerMain <main class> [args...]");
    }
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    Thread watchdog = new Thread(() -> haltWhenParentGoes(parent), "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }

  private static void haltWhenParentGoes(ProcessHandle parent) {
    InputStream in = System.in;
    byte[] sink = new byte[256];
    try {
      while (in.read(sink) >= 0) {
        // the parent never writes; reading only waits for the pipe to close
      }
    } catch (IOException closed) {
      // same as end of stream
    }
    try {
      // A deliberate stop closes our input too, then signals us: let that shutdown run.
      while (parent != null && parent.isAlive()) {
        Thread.sleep(500);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(137);
  }
}
