package dev.herald.kafka.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one process),
 * run as a child JVM from the broker JARs this module's build resolved from Maven Central. It
 * listens on 127.0.0.1 on free ports and keeps its data in a temporary directory, which survives
 * {@link #stop()} and {@link #kill()} so that {@link #start()} brings the same broker back.
 *
 * <p>Every broker process dies with the JVM that started it: a shutdown hook kills it, and the
 * child halts by itself when its parent disappears (see {@link BrokerMain}).
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final String READY_LINE = "Kafka Server started";

  private final BrokerHome home;
  private final BrokerJvms jvms;
  private Process process;
  private int starts;

  private KafkaBroker(BrokerHome home, BrokerJvms jvms) {
    this.home = home;
    this.jvms = jvms;
  }

  /** Formats and starts a broker tuned for tests: small heap, quick JIT. */
  public static KafkaBroker startNew() {
    return startNew(List.of("-Xmx512m", "-Xms128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Xss512k"));
  }

  /** Formats and starts a broker whose JVM runs with {@code jvmOptions} (e.g. for benchmarks). */
  public static KafkaBroker startNew(List<String> jvmOptions) {
    return startNew(0, jvmOptions);
  }

  /** As {@link #startNew(List)}, listening on {@code port} (0: a free one). */
  public static KafkaBroker startNew(int port, List<String> jvmOptions) {
    try {
      BrokerHome home = new BrokerHome(Files.createTempDirectory("herald-kafka-"), port == 0 ? freePort() : port,
          freePort());
      KafkaBroker broker = new KafkaBroker(home, new BrokerJvms(jvmOptions));
      try {
        home.format(broker.jvms);
        broker.start();
      } catch (RuntimeException | Error e) {
        broker.close();
        throw e;
      }
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code host:port} for the clients' {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + home.port();
  }

  public int port() {
    return home.port();
  }

  /** Where the broker's configuration, data and output ({@code broker-N.log}) live. */
  public Path home() {
    return home.dir();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the (formatted) broker again on the same ports with the same data; waits until it serves. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    starts++;
    Path log = home.dir().resolve("broker-" + starts + ".log");
    process = jvms.launch(home, List.of("kafka.Kafka", home.serverProperties().toString()), log);
    awaitReady(log);
  }

  /** A clean shutdown (SIGTERM), as an operator's restart would do. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    BrokerJvms.forget(process);
    process = null;
  }

  /**
   * SIGSTOP: the broker keeps its connections but answers nothing, as a broker stalled by a long
   * GC pause or a saturated disk would. {@link #unfreeze()} undoes it.
   */
  public synchronized void freeze() {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  public synchronized void unfreeze() {
    signal("CONT");
  }

  private void signal(String name) {
    if (process == null) {
      throw new IllegalStateException("the broker is not running");
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling the broker", e);
    }
  }

  /** SIGKILL, as a crash would. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly(); // SIGKILL also ends a frozen (SIGSTOPped) broker
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    BrokerJvms.forget(process);
    process = null;
  }

  /** Kills the broker and deletes its data. */
  @Override
  public synchronized void close() {
    kill();
    home.delete();
  }

  /**
   * Runs one of Kafka's own command-line tools (e.g. {@code org.apache.kafka.tools.ProducerPerformance})
   * in a child JVM on the broker's classpath, its output going to {@code output}, and waits for it.
   *
   * @return the tool's exit code
   */
  public static int runTool(List<String> jvmOptions, Path output, Duration timeout, String mainClass,
      List<String> args) {
    return BrokerJvms.runTool(jvmOptions, output, timeout, mainClass, args);
  }

  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          BrokerJvms.forget(process);
          throw new IllegalStateException("the Kafka broker exited at start-up (code "
              + process.exitValue() + "):\n" + Files.readString(log));
        }
        if (Files.readString(log).contains(READY_LINE) && accepts(home.port())) {
          return;
        }
        // Polling an external process's output for readiness, bounded by the deadline.
        Thread.sleep(100);
      }
      kill();
      throw new IllegalStateException("the Kafka broker was not ready after " + READY_TIMEOUT
          + ":\n" + Files.readString(log));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new IllegalStateException("interrupted while starting the Kafka broker", e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
