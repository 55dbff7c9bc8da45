package dev.herald.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code java -jar herald.jar --config FILE} as a child process, its output captured. */
final class HeraldProcess {

  private static final Pattern STARTED = Pattern.compile("Herald \\S+ started: ingest on [^:]+:(\\d+), admin on [^:]+:(\\d+)");

  final Process process;
  final List<String> output = new CopyOnWriteArrayList<>();
  private volatile int ingestPort = -1;
  private volatile int adminPort = -1;

  private HeraldProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          output.add(line);
          Matcher m = STARTED.matcher(line);
          if (m.find()) {
            adminPort = Integer.parseInt(m.group(2));
            ingestPort = Integer.parseInt(m.group(1));
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "herald-child-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** With an explicit heap: Herald runs in this one JVM, so signals and SIGKILL reach the server itself. */
  static HeraldProcess start(Path jar, Path config, Path workDir) throws IOException {
    return start(jar, config, workDir, List.of("-Xmx256m"), Map.of());
  }

  /** With {@code jvmOptions}, and the environment changed by {@code env} (a null value removes the variable). */
  static HeraldProcess start(Path jar, Path config, Path workDir, List<String> jvmOptions, Map<String, String> env)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "--config", config.toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true);
    env.forEach((name, value) -> {
      if (value == null) pb.environment().remove(name);
      else pb.environment().put(name, value);
    });
    return new HeraldProcess(pb.start());
  }

  /** Waits for the start-up line and returns the ingest port. */
  int awaitStarted(Duration timeout) throws InterruptedException {
    Polling.until(timeout, () -> ingestPort > 0 || !process.isAlive(), () -> "Herald did not start:\n" + log());
    if (ingestPort < 0) throw new AssertionError("Herald exited with " + process.exitValue() + ":\n" + log());
    return ingestPort;
  }

  /** The admin API's port, once started. */
  int adminPort() {
    return adminPort;
  }

  String log() {
    return String.join("\n", output);
  }
}
