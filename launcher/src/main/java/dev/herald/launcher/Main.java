package dev.herald.launcher;

import dev.herald.launcher.config.Secrets;
import dev.herald.launcher.jvm.MemoryOptions;
import dev.herald.launcher.jvm.Supervisor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * {@code java -jar herald.jar}: see {@link Cli}. The server itself runs in a child JVM sized by
 * {@link MemoryOptions} unless the operator chose the heap; this JVM then only supervises it.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    if (Cli.runsServer(args)) {
      MemoryOptions.Choice choice = MemoryOptions.choose(ManagementFactory.getRuntimeMXBean().getInputArguments(),
          System.getenv(), MemoryOptions.machineBytes(), MemoryOptions.canTrimNativeHeap());
      if (choice.error() != null) {
        System.err.println("error: " + choice.error());
        System.exit(2);
      }
      if (choice.relaunch()) System.exit(supervise(choice, args));
    }
    int status = new Cli(System.out, System.err, Secrets.fromEnvironment(), Path.of("data")).run(args);
    if (status != Cli.RUNNING) System.exit(status);
  }

  private static int supervise(MemoryOptions.Choice choice, String[] args) {
    try {
      return Supervisor.run(Supervisor.command(Supervisor.javaBinary(), choice.jvmOptions(), ProcessHandle.current().pid(),
          System.getProperty("java.class.path"), System.getProperty("sun.java.command", ""), Main.class.getName(), args));
    } catch (IOException e) {
      System.err.println("error: cannot start Herald's server JVM: " + e.getMessage());
      return 1;
    }
  }
}
