package dev.herald.launcher;

import dev.herald.launcher.config.ConfigException;
import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.ConfigProblem;
import dev.herald.launcher.config.ConfigValidator;
import dev.herald.launcher.config.HeraldConfig;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.PendingSettings;
import dev.herald.launcher.config.Secrets;
import dev.herald.launcher.metrics.HeraldMetrics;
import dev.herald.launcher.plugins.PluginCatalog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code [--config FILE]} runs Herald, {@code validate --config FILE}
 * checks a config. {@link #run} returns the exit status, or {@link #RUNNING} when Herald is
 * up and the process must stay alive until SIGTERM.
 */
public final class Cli {

  /** {@link #run}'s answer when Herald started and keeps running. */
  public static final int RUNNING = -1;

  private static final Logger LOG = LoggerFactory.getLogger(Cli.class);
  private static final String USAGE = """
      Usage:
        java -jar herald.jar [--config herald.yaml]      run Herald (no --config: the built-in first-run setup)
        java -jar herald.jar validate --config herald.yaml   check a config, list every problem
        java -jar herald.jar --version
      """;

  private final PrintStream out;
  private final PrintStream err;
  private final Secrets secrets;
  private final Path dataDir;

  public Cli(PrintStream out, PrintStream err, Secrets secrets, Path dataDir) {
    this.out = out;
    this.err = err;
    this.secrets = secrets;
    this.dataDir = dataDir;
  }

  /** Parsed arguments. */
  record Args(boolean validate, Path config, boolean help, boolean version, List<String> errors) {}

  static Args parse(String[] args) {
    boolean validate = false;
    boolean help = false;
    boolean version = false;
    Path config = null;
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "validate" -> validate = true;
        case "-h", "--help", "help" -> help = true;
        case "--version" -> version = true;
        case "--config", "-c" -> {
          if (i + 1 < args.length) config = Path.of(args[++i]);
          else errors.add("--config needs a file");
        }
        case "--connector" -> {
          errors.add("--connector: Fluvio connector files are not yet supported");
          i++;
        }
        default -> {
          if (a.startsWith("--config=")) config = Path.of(a.substring("--config=".length()));
          else errors.add("unknown argument '" + a + "'");
        }
      }
    }
    if (validate && config == null) errors.add("validate needs --config FILE");
    return new Args(validate, config, help, version, errors);
  }

  public int run(String[] argv) {
    Args args = parse(argv);
    if (args.help()) {
      out.print(USAGE);
      return 0;
    }
    if (args.version()) {
      out.println("Herald " + HeraldVersion.version());
      return 0;
    }
    if (!args.errors().isEmpty()) {
      args.errors().forEach(e -> err.println("error: " + e));
      err.print(USAGE);
      return 2;
    }
    return args.validate() ? validate(args.config()) : start(args.config());
  }

  /** Prints every problem and returns 1, or prints "config OK" and returns 0. */
  int validate(Path file) {
    LoadedConfig loaded = new ConfigLoader(secrets).load(file);
    try (PluginCatalog plugins = PluginCatalog.load(loaded.config().plugins().dir())) {
      ConfigValidator.validate(loaded, plugins);
      PendingSettings.describe(loaded.config()).forEach(line -> out.println("warning: " + line));
      out.println("config OK");
      return 0;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  private int start(Path file) {
    LoadedConfig loaded;
    boolean firstRun = file == null;
    try {
      loaded = firstRun ? new LoadedConfig(FirstRun.config(dataDir), List.of()) : new ConfigLoader(secrets).load(file);
    } catch (IOException e) {
      err.println("error: cannot prepare the first-run setup in " + dataDir.toAbsolutePath() + ": " + e.getMessage());
      return 1;
    }
    PrometheusMeterRegistry registry = HeraldMetrics.newRegistry();
    Vertx vertx = HeraldMetrics.vertx(registry);
    Herald herald;
    try {
      herald = Herald.start(vertx, loaded, registry).await(5, TimeUnit.MINUTES);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      vertx.close();
      return 1;
    } catch (Exception e) {
      LOG.error("Herald failed to start: {}", e.getMessage(), e);
      vertx.close();
      return 1;
    }
    if (firstRun) {
      HeraldConfig c = loaded.config();
      out.print(FirstRun.banner(c.sources().get(0).writeKey(), dataDir.resolve("demo-write-key"), herald.ingestPort(),
          Path.of(c.destinations().get(0).config().getString("path"))));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(herald, vertx), "herald-shutdown"));
    return RUNNING;
  }

  /** On SIGTERM: drain, then exit 0 (the JVM's own status for a signal would be 143). */
  private static void shutdown(Herald herald, Vertx vertx) {
    int status = 0;
    try {
      herald.stop().await(60, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("Herald did not stop cleanly: {}", e.toString());
      status = 1;
    }
    Runtime.getRuntime().halt(status);
  }
}
