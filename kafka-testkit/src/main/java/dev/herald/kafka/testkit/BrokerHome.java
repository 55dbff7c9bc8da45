package dev.herald.kafka.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A broker's directory and the addresses written into its configuration: {@code server.properties},
 * {@code log4j2.properties}, the formatted storage under {@code data/} and each start's output.
 */
final class BrokerHome {

  private final Path home;
  private final int port;
  private final int controllerPort;

  BrokerHome(Path home, int port, int controllerPort) {
    this.home = home;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  Path dir() {
    return home;
  }

  int port() {
    return port;
  }

  Path serverProperties() {
    return home.resolve("server.properties");
  }

  Path log4j() {
    return home.resolve("log4j2.properties");
  }

  /** Writes the configuration and formats the storage with a fresh cluster id, in a child JVM. */
  void format(BrokerJvms jvms) throws IOException {
    Files.writeString(serverProperties(), properties(), StandardCharsets.UTF_8);
    Files.writeString(log4j(), LOG4J, StandardCharsets.UTF_8);
    Path log = home.resolve("format.log");
    Process format = jvms.launch(this, List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c",
        serverProperties().toString()), log);
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
      BrokerJvms.forget(format);
    }
  }

  private String properties() {
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

  /** Deletes the directory and everything in it. */
  void delete() {
    deleteRecursively(home);
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
