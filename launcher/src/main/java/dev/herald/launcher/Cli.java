package dev.herald.launcher;

import dev.herald.launcher.config.ConfigException;
import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.ConfigProblem;
import dev.herald.launcher.config.ConfigValidator;
import dev.herald.launcher.config.ConnectorFiles;
import dev.herald.launcher.config.HeraldConfig;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.PendingSettings;
import dev.herald.launcher.config.Secrets;
import dev.herald.launcher.config.SecretsFile;
import dev.herald.launcher.jvm.MemoryOptions;
import dev.herald.launcher.jvm.SupervisorLink;
import dev.herald.launcher.metrics.HeraldMetrics;
import dev.herald.launcher.plugins.PluginCatalog;
import dev.herald.launcher.reload.ConfigSource;
import dev.herald.launcher.reload.HangUp;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code [--config FILE] [--connector FILE]…} runs Herald,
 * {@code validate} checks a config, {@code transform} previews a destination's transforms. {@link #run} returns the exit status, or {@link #RUNNING} when Herald is
 * up and the process must stay alive until SIGTERM.
 */
public final class Cli {

  /** {@link #run}'s answer when Herald started and keeps running. */
  public static final int RUNNING = -1;

  private static final String USAGE = """
      Usage:
        java -jar herald.jar [--config herald.yaml] [--connector FILE]... [--secrets FILE]
            run Herald (no --config: the built-in first-run setup, plus any Fluvio connector files)
        java -jar herald.jar validate --config herald.yaml [--connector FILE]... [--secrets FILE]
            check a config, list every problem
        java -jar herald.jar transform [--config herald.yaml] [--connector FILE]... --destination ID
            (--file events.ndjson | --recent N)
            preview a destination's transforms on events from a file or the newest N in the log; sends nothing
        java -jar herald.jar --version
      --secrets FILE: NAME=value lines, used before the environment for ${{ secrets.NAME }}
      """ + DeadLettersCommand.USAGE + SeeCommands.USAGE + ReloadCommand.USAGE;
  static final int MAX_RECENT = 10_000;

  private final PrintStream out;
  private final PrintStream err;
  private final Secrets environment;
  private final Path dataDir;

  public Cli(PrintStream out, PrintStream err, Secrets secrets, Path dataDir) {
    this.out = out;
    this.err = err;
    this.environment = secrets;
    this.dataDir = dataDir;
  }

  enum Command { RUN, VALIDATE, TRANSFORM }

  /** Parsed arguments. */
  record Args(Command command, Path config, List<Path> connectors, Path secrets, String destination, Path file,
      int recent, boolean help, boolean version, List<String> errors) {

    boolean validate() {
      return command == Command.VALIDATE;
    }
  }

  /** Resolved when first used, so a supervising JVM that only calls {@link #runsServer} never sets up logging. */
  private static Logger log() {
    return LoggerFactory.getLogger(Cli.class);
  }

  /**
   * True for the arguments that run the server: not {@code validate}, {@code transform}, the
   * admin subcommands, help, the version, or arguments in error (all quick, in this JVM).
   */
  public static boolean runsServer(String[] argv) {
    if (argv.length > 0 && List.of("dead-letters", "trace", "tap", "reload").contains(argv[0])) return false;
    Args args = parse(argv);
    return args.command() == Command.RUN && !args.help() && !args.version() && args.errors().isEmpty();
  }

  static Args parse(String[] args) {
    Command command = Command.RUN;
    boolean help = false;
    boolean version = false;
    Path config = null;
    Path secrets = null;
    String destination = null;
    Path file = null;
    int recent = 0;
    List<Path> connectors = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String option = a.startsWith("--") && a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      String inline = option.equals(a) ? null : a.substring(a.indexOf('=') + 1);
      switch (option) {
        case "validate" -> command = Command.VALIDATE;
        case "transform" -> command = Command.TRANSFORM;
        case "-h", "--help", "help" -> help = true;
        case "--version" -> version = true;
        case "--config", "-c", "--connector", "--secrets", "--destination", "--file", "--recent" -> {
          String value = inline != null ? inline : i + 1 < args.length ? args[++i] : null;
          if (value == null || value.isEmpty()) {
            errors.add(option + " needs a value");
            continue;
          }
          switch (option) {
            case "--config", "-c" -> config = Path.of(value);
            case "--connector" -> connectors.add(Path.of(value));
            case "--secrets" -> secrets = Path.of(value);
            case "--destination" -> destination = value;
            case "--file" -> file = Path.of(value);
            default -> recent = recent(value, errors);
          }
        }
        default -> errors.add("unknown argument '" + a + "'");
      }
    }
    if (command == Command.VALIDATE && config == null && connectors.isEmpty()) {
      errors.add("validate needs --config FILE (or --connector FILE)");
    }
    if (command == Command.TRANSFORM) {
      if (destination == null) errors.add("transform needs --destination ID");
      if ((file == null) == (recent == 0)) errors.add("transform needs either --file FILE or --recent N");
    } else if (destination != null || file != null || recent != 0) {
      errors.add("--destination, --file and --recent belong to the transform command");
    }
    return new Args(command, config, List.copyOf(connectors), secrets, destination, file, recent, help, version,
        errors);
  }

  private static int recent(String value, List<String> errors) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_RECENT) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add("--recent needs a number of events from 1 to " + MAX_RECENT);
    return 0;
  }

  public int run(String[] argv) {
    if (argv.length > 0 && argv[0].equals("dead-letters")) {
      return new DeadLettersCommand(out, err, environment).run(java.util.Arrays.copyOfRange(argv, 1, argv.length));
    }
    if (argv.length > 0 && (argv[0].equals("trace") || argv[0].equals("tap"))) {
      String[] rest = java.util.Arrays.copyOfRange(argv, 1, argv.length);
      SeeCommands see = new SeeCommands(out, err, environment);
      return argv[0].equals("trace") ? see.trace(rest) : see.tap(rest);
    }
    if (argv.length > 0 && argv[0].equals("reload")) {
      return new ReloadCommand(out, err, environment).run(java.util.Arrays.copyOfRange(argv, 1, argv.length));
    }
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
    Secrets secrets = environment;
    if (args.secrets() != null) {
      try {
        secrets = environment.over(SecretsFile.read(args.secrets()));
      } catch (IOException | IllegalArgumentException e) {
        err.println("error: --secrets: " + (e instanceof IOException ? "cannot read " + args.secrets() + ": " : "")
            + e.getMessage());
        return 2;
      }
    }
    LoadedConfig loaded;
    try {
      loaded = args.config() == null ? new LoadedConfig(FirstRun.config(dataDir), List.of())
          : new ConfigLoader(secrets).load(args.config());
    } catch (IOException e) {
      err.println("error: cannot prepare the first-run setup in " + dataDir.toAbsolutePath() + ": " + e.getMessage());
      return 1;
    }
    loaded = ConnectorFiles.addTo(loaded, args.connectors(), secrets);
    return switch (args.command()) {
      case VALIDATE -> validate(loaded);
      case TRANSFORM -> new TransformPreview(out, err).run(loaded, args.destination(), args.file(), args.recent());
      case RUN -> start(loaded, args.config() == null, new ConfigSource(args.config(), args.connectors(), args.secrets(),
          environment, () -> FirstRun.config(dataDir)));
    };
  }

  /** Prints every problem of the config and of its embedded log and returns 1, else returns 0. */
  int validate(LoadedConfig loaded) {
    try (PluginCatalog plugins = PluginCatalog.load(loaded.config().plugins().dir())) {
      ConfigValidator.validate(loaded, plugins);
      PendingSettings.describe(loaded.config()).forEach(line -> out.println("warning: " + line));
      boolean logOk = LogValidation.check(loaded.config(), out, err);
      out.println("config OK");
      return logOk ? 0 : 1;
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  private int start(LoadedConfig loaded, boolean firstRun, ConfigSource source) {
    log().info(MemoryOptions.describe(ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv(),
        Runtime.getRuntime().maxMemory()));
    PrometheusMeterRegistry registry = HeraldMetrics.newRegistry();
    Vertx vertx = HeraldMetrics.vertx(registry);
    Herald herald;
    try {
      herald = Herald.start(vertx, loaded, registry, source).await(5, TimeUnit.MINUTES);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      vertx.close();
      return 1;
    } catch (Exception e) {
      log().error("Herald failed to start: {}", e.getMessage(), e);
      vertx.close();
      return 1;
    }
    if (firstRun) {
      HeraldConfig c = loaded.config();
      out.print(FirstRun.banner(c.sources().get(0).writeKey(), dataDir.resolve("demo-write-key"), herald.ingestPort(),
          Path.of(c.destinations().get(0).config().getString("path"))));
      c.destinations().stream().skip(1).forEach(d -> out.print(FirstRun.connectorBanner(d.id(), d.topics().get(0),
          c.sources().get(0).writeKey(), herald.ingestPort())));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(herald, vertx), "herald-shutdown"));
    HangUp.install(herald::reload);
    if (SupervisorLink.supervised()) {
      SupervisorLink.watch(System.in, () -> HangUp.run(herald::reload), () -> System.exit(0));
    }
    return RUNNING;
  }

  /** On SIGTERM: drain, then exit 0 (the JVM's own status for a signal would be 143). */
  private static void shutdown(Herald herald, Vertx vertx) {
    int status = 0;
    try {
      herald.stop().await(60, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log().error("Herald did not stop cleanly: {}", e.toString());
      status = 1;
    }
    Runtime.getRuntime().halt(status);
  }
}
