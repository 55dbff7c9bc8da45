package dev.herald.kafka.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The child JVMs that run Kafka's code ({@link BrokerMain} on the broker JARs' classpath): every
 * one still running is killed when this JVM exits.
 */
final class BrokerJvms {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
        "kafka-broker-reaper"));
  }

  private final List<String> jvmOptions;

  BrokerJvms(List<String> jvmOptions) {
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** Starts {@code mainAndArgs} for the broker living in {@code home}, its output going to {@code output}. */
  Process launch(BrokerHome home, List<String> mainAndArgs, Path output) {
    List<String> command = command(jvmOptions, List.of("-Dlog4j2.configurationFile=" + home.log4j(),
        "-Djava.awt.headless=true"), mainAndArgs);
    try {
      return started(new ProcessBuilder(command).directory(home.dir().toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile()).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a Kafka JVM", e);
    }
  }

  /** See {@link KafkaBroker#runTool}. */
  static int runTool(List<String> jvmOptions, Path output, Duration timeout, String mainClass, List<String> args) {
    List<String> mainAndArgs = new ArrayList<>();
    mainAndArgs.add(mainClass);
    mainAndArgs.addAll(args);
    Process tool;
    try {
      tool = started(new ProcessBuilder(command(jvmOptions, List.of(), mainAndArgs))
          .redirectErrorStream(true).redirectOutput(output.toFile()).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
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
      forget(tool);
    }
  }

  /** The process has ended: the exit hook need not kill it. */
  static void forget(Process process) {
    LIVE.remove(process);
  }

  private static Process started(Process process) {
    LIVE.add(process);
    return process;
  }

  private static List<String> command(List<String> jvmOptions, List<String> properties, List<String> mainAndArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(properties);
    command.add("-cp");
    command.add(classpath());
    command.add(BrokerMain.class.getName());
    command.addAll(mainAndArgs);
    return command;
  }

  /** This kit's own classes (for {@link BrokerMain}) and the broker JARs the build listed. */
  private static String classpath() {
    try (InputStream in = BrokerJvms.class.getResourceAsStream("broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException("broker.classpath is missing: build the kafka-testkit module with Maven");
      }
      String brokerJars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      Path self = Path.of(BrokerJvms.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return self + java.io.File.pathSeparator + brokerJars;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

}
