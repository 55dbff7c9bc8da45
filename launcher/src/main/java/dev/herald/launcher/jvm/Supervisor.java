package dev.herald.launcher.jvm;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import sun.misc.Signal;

/**
 * The parent of a relaunched Herald: starts the server JVM (same java binary, class path and
 * arguments, sharing stdout and stderr), forwards SIGTERM and SIGINT (drain and stop) and SIGHUP
 * (reload) to it and exits with its status. It starts nothing else (no Vert.x, no logging), so it
 * stays a bare JVM. The child's stdin is the link between the two, as Elasticsearch's launcher
 * does it: a {@code reload} line for each SIGHUP, and the end of input, which the kernel delivers
 * however this process ends (SIGKILL too), tells the child to drain and stop.
 */
public final class Supervisor {

  /** What the child reads on its stdin for a SIGHUP. */
  public static final String RELOAD = "reload";

  private Process child;
  private boolean stopRequested;

  private Supervisor() {}

  /** Runs {@code command} under supervision and returns its exit status. */
  public static int run(List<String> command) throws IOException {
    Supervisor supervisor = new Supervisor();
    // Installed before the child starts: a SIGTERM in between still reaches it.
    supervisor.forward("TERM", supervisor::stop);
    supervisor.forward("INT", supervisor::stop);
    supervisor.forward("HUP", supervisor::reload);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    // The child gets these options once, on its command line (they are among this JVM's input arguments).
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    // glibc gives each busy thread its own malloc arena (8 per core); two keep the server's native memory compact.
    builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
    Process started = builder.start();
    synchronized (supervisor) {
      supervisor.child = started;
      if (supervisor.stopRequested) started.toHandle().destroy();
    }
    while (true) {
      try {
        return started.waitFor();
      } catch (InterruptedException e) {
        // nothing interrupts this thread on purpose; keep waiting for the child
      }
    }
  }

  /**
   * The child's command: the java binary, {@code jvmOptions}, the supervisor's pid as
   * {@value MemoryOptions#SUPERVISOR_PROPERTY}, then {@code -jar JAR} when this JVM was started so, else
   * {@code -cp CLASSPATH MAIN}, then the arguments.
   */
  public static List<String> command(String java, List<String> jvmOptions, long pid, String classPath,
      String javaCommand, String mainClass, String[] args) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmOptions);
    command.add("-D" + MemoryOptions.SUPERVISOR_PROPERTY + "=" + pid);
    boolean jar = classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)
        && javaCommand.startsWith(classPath);
    command.addAll(jar ? List.of("-jar", classPath) : List.of("-cp", classPath, mainClass));
    command.addAll(Arrays.asList(args));
    return command;
  }

  /** This JVM's java binary. */
  public static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private void forward(String signal, Runnable action) {
    try {
      Signal.handle(new Signal(signal), s -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException noSuchSignal) {
      // the platform lacks it; the child still stops when this process ends
    }
  }

  private synchronized void stop() {
    stopRequested = true;
    // SIGTERM through the handle: Process.destroy would also close the link, which reads as "supervisor gone".
    if (child != null) child.toHandle().destroy();
  }

  private synchronized void reload() {
    if (child == null) return;
    try {
      OutputStream link = child.getOutputStream();
      link.write((RELOAD + "\n").getBytes(StandardCharsets.US_ASCII));
      link.flush();
    } catch (IOException childGone) {
      // it is stopping; its status ends this process
    }
  }
}
