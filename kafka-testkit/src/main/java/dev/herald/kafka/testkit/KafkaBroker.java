package dev.herald.kafka.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final String READY_LINE = "Kafka Server started";

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
        "kafka-broker-reaper"));
  }

  private final Path home;
  private final int port;
  private final int controllerPort;
  private final List<String> jvmOptions;
  private Process process;
  private int starts;

  private KafkaBroker(Path home, int port, int controllerPort, List<String> jvmOptions) {
    this.home = home;
    this.port = port;
    this.controllerPort = controllerPort;
    this.jvmOptions = jvmOptions;
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
      Path home = Files.createTempDirectory("herald-kafka-");
      KafkaBroker broker = new KafkaBroker(home, port == 0 ? freePort() : port, freePort(), List.copyOf(jvmOptions));
      try {
        broker.format();
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
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Where the broker's configuration, data and output ({@code broker-N.log}) live. */
  public Path home() {
    return home;
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
    Path log = home.resolve("broker-" + starts + ".log");
    process = launch(List.of("kafka.Kafka", home.resolve("server.properties").toString()), log);
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
    LIVE.remove(process);
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
    LIVE.remove(process);
    process = null;
  }

  /** Kills the broker and deletes its data. */
  @Override
  public synchronized void close() {
    kill();
    deleteRecursively(home);
  }

  private void format() throws IOException {
    Files.writeString(home.resolve("server.properties"), serverProperties(), StandardCharsets.UTF_8);
    Files.writeString(home.resolve("log4j2.properties"), LOG4J, StandardCharsets.UTF_8);
    Path log = home.resolve("format.log");
    Process format = launch(List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c",
        home.resolve("server.properties").toString()), log);
    try {
      boolean done = format.waitFor(60, TimeUnit.SECONDS);
      if (!done || format.exitValue() != 0) {
        format.destroyForcibly();
        throw new IllegalStateException("formatting the Kafka broker's storage failed:\n"
            + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      format.destroyForcibly();
      throw new IllegalStateException("interrupted while formatting the Kafka broker", e);
    } finally {
      LIVE.remove(format);
    }
  }

  private String serverProperties() {
    String cport = String.valueOf(controllerPort);
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + cport,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + cport,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + home.resolve("data"),
        "auto.create.topics.enable=false",
        "num.partitions=1",
        "num.network.threads=2",
        "num.io.threads=4",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=5",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // Consumers of a killed node must time out quickly in the tests.
        "group.min.session.timeout.ms=1000",
        "log.retention.check.interval.ms=5000",
        // A restarted or killed broker's old registration must not hold the new one back for long.
        "broker.session.timeout.ms=3000",
        "broker.heartbeat.interval.ms=500",
        "");
  }

  private static final String LOG4J = String.join("\n",
      "status = warn",
      "shutdownHook = disable",
      "appender.out.type = Console",
      "appender.out.name = OUT",
      "appender.out.layout.type = PatternLayout",
      "appender.out.layout.pattern = [%d] %p %m (%c)%n",
      "rootLogger.level = WARN",
      "rootLogger.appenderRef.out.ref = OUT",
      "logger.server.name = kafka.server.KafkaRaftServer",
      "logger.server.level = INFO",
      "logger.coordinator.name = org.apache.kafka.coordinator.group",
      "logger.coordinator.level = INFO",
      "");

  private Process launch(List<String> mainAndArgs, Path output) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dlog4j2.configurationFile=" + home.resolve("log4j2.properties"));
    command.add("-Djava.awt.headless=true");
    command.add("-cp");
    command.add(classpath());
    command.add(BrokerMain.class.getName());
    command.addAll(mainAndArgs);
    try {
      Process started = new ProcessBuilder(command)
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      LIVE.add(started);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a Kafka JVM", e);
    }
  }

  /**
   * Runs one of Kafka's own command-line tools (e.g. {@code org.apache.kafka.tools.ProducerPerformance})
   * in a child JVM on the broker's classpath, its output going to {@code output}, and waits for it.
   *
   * @return the tool's exit code
   */
  public static int runTool(List<String> jvmOptions, Path output, Duration timeout, String mainClass,
      List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath());
    command.add(BrokerMain.class.getName());
    command.add(mainClass);
    command.addAll(args);
    Process tool;
    try {
      tool = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
    LIVE.add(tool);
    try {
      if (!tool.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        tool.destroyForcibly();
        throw new IllegalStateException(mainClass + " did not finish within " + timeout);
      }
      return tool.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tool.destroyForcibly();
      throw new IllegalStateException("interrupted while running " + mainClass, e);
    } finally {
      LIVE.remove(tool);
    }
  }

  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          LIVE.remove(process);
          throw new IllegalStateException("the Kafka broker exited at start-up (code "
              + process.exitValue() + "):\n" + Files.readString(log));
        }
        if (Files.readString(log).contains(READY_LINE) && accepts(port)) {
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

  /** This kit's own classes (for {@link BrokerMain}) and the broker JARs the build listed. */
  private static String classpath() {
    try (InputStream in = KafkaBroker.class.getResourceAsStream("broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException("broker.classpath is missing: build the kafka-testkit module with Maven");
      }
      String brokerJars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      Path self = Path.of(KafkaBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return self + java.io.File.pathSeparator + brokerJars;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A random cluster id in Kafka's format; one starting with '-' would be read as an option. */
  private static String clusterId() {
    SecureRandom random = new SecureRandom();
    byte[] bytes = new byte[16];
    String id;
    do {
      random.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (id.startsWith("-"));
    return id;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // a temp dir left behind is harmless
        }
      });
    } catch (IOException ignored) {
      // same
    }
  }
}
