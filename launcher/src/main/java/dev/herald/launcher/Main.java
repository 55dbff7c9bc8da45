package dev.herald.launcher;

import dev.herald.launcher.config.Secrets;
import java.nio.file.Path;

/** {@code java -jar herald.jar}: see {@link Cli}. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    int status = new Cli(System.out, System.err, Secrets.fromEnvironment(), Path.of("data")).run(args);
    if (status != Cli.RUNNING) System.exit(status);
  }
}
