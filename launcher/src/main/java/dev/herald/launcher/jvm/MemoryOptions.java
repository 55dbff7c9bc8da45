package dev.herald.launcher.jvm;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Herald's own memory settings, chosen the way Elasticsearch's and Kafka's launchers choose
 * theirs: unless the operator already picked the heap, the server runs in a child JVM with a
 * bounded heap, G1 returning idle memory, and caps on direct memory, metaspace and code cache,
 * so that a plain {@code java -jar herald.jar} stays small on a shared machine instead of
 * growing toward a quarter of its RAM. The choice depends only on what it is given (the JVM's
 * input arguments, the environment, the machine's memory) and the OS, so every rule is unit-tested.
 */
public final class MemoryOptions {

  /** The heap when nobody chose one: 3.5× the live heap of a 110k events/s soak (73 MB). */
  public static final long DEFAULT_HEAP_MB = 256;
  /** Below this Herald's own start-up (plugins, Vert.x, Kafka clients) does not fit. */
  static final long MIN_HEAP_MB = 64;
  /** Where the heap starts and shrinks back to after a quiet spell. */
  static final long INITIAL_HEAP_MB = 32;

  public static final String HEAP_ENV = "HERALD_HEAP";
  public static final String JAVA_OPTS_ENV = "HERALD_JAVA_OPTS";
  public static final String RELAUNCH_ENV = "HERALD_RELAUNCH";
  /** Set on the child JVM: the supervisor's pid; the child stops when its supervisor is gone. */
  public static final String SUPERVISOR_PROPERTY = "herald.supervisor";

  private static final List<String> HEAP_OPTIONS = List.of("-Xmx", "-Xms", "-Xmn", "-XX:MaxHeapSize=",
      "-XX:InitialHeapSize=", "-XX:MinHeapSize=", "-XX:NewSize=", "-XX:MaxNewSize=", "-XX:MaxRAM=",
      "-XX:MaxRAMPercentage=", "-XX:MinRAMPercentage=", "-XX:InitialRAMPercentage=", "-XX:MaxRAMFraction=",
      "-XX:MinRAMFraction=", "-XX:InitialRAMFraction=");
  /** Options that attach something to this very process: a debugger port, a recording, an agent. */
  private static final List<String> THIS_JVM_OPTIONS = List.of("-agentlib:", "-agentpath:", "-javaagent:",
      "-Xrunjdwp", "-Xdebug", "-XX:StartFlightRecording", "-XX:+FlightRecorder");
  private static final Pattern GC_CHOICE = Pattern.compile("-XX:\\+Use\\w*GC");
  private static final String SUPERVISED = "started by Herald's supervisor";
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG]?)");

  private MemoryOptions() {}

  /**
   * Where the server runs: in this JVM ({@code jvmOptions} null, {@code reason} says why) or in
   * a child JVM started with {@code jvmOptions}; {@code error} is set when the environment is
   * wrong and nothing should start.
   */
  public record Choice(List<String> jvmOptions, String reason, String error) {

    public boolean relaunch() {
      return jvmOptions != null;
    }

    static Choice here(String reason) {
      return new Choice(null, reason, null);
    }

    static Choice failed(String error) {
      return new Choice(null, null, error);
    }
  }

  /**
   * The choice for this JVM's {@code inputArguments} (which include JAVA_TOOL_OPTIONS and
   * JDK_JAVA_OPTIONS), the environment and the memory the machine (or container) has. The child's
   * options are Herald's, then this JVM's own input arguments, then {@code HERALD_JAVA_OPTS}:
   * a later option wins, so whatever the operator wrote overrides Herald's default.
   */
  public static Choice choose(List<String> inputArguments, Map<String, String> env, long machineBytes) {
    return choose(inputArguments, env, machineBytes, false);
  }

  /** As {@link #choose(List, Map, long)}; {@code trimNativeHeap} when this JVM has {@code -XX:TrimNativeHeapInterval}. */
  public static Choice choose(List<String> inputArguments, Map<String, String> env, long machineBytes,
      boolean trimNativeHeap) {
    if (inputArguments.stream().anyMatch(a -> a.startsWith("-D" + SUPERVISOR_PROPERTY + "="))) {
      return Choice.here(SUPERVISED);
    }
    if (System.getProperty("os.name", "").startsWith("Windows")) {
      return Choice.here("on Windows, where there are no signals to pass on to a child");
    }
    if (isFalse(env.get(RELAUNCH_ENV)) || inputArguments.contains("-Dherald.relaunch=false")) {
      return Choice.here(RELAUNCH_ENV + "=false: the JVM's own memory defaults");
    }
    List<String> operator = new ArrayList<>(inputArguments);
    operator.addAll(words(env.get("JAVA_TOOL_OPTIONS")));
    operator.addAll(words(env.get("JDK_JAVA_OPTIONS")));
    for (String a : operator) {
      if (HEAP_OPTIONS.stream().anyMatch(a::startsWith)) return Choice.here("heap chosen by the JVM options (" + a + ")");
      if (THIS_JVM_OPTIONS.stream().anyMatch(a::startsWith)) return Choice.here("attached to this JVM (" + a + ")");
    }
    List<String> extra = words(env.get(JAVA_OPTS_ENV));
    String heapSetting = env.get(HEAP_ENV);
    long heapMb;
    if (heapSetting == null || heapSetting.isBlank()) {
      heapMb = defaultHeapMb(machineBytes);
    } else {
      heapMb = megabytes(heapSetting.trim());
      if (heapMb < 0) return Choice.failed(HEAP_ENV + " must be a size such as 512m or 2g, not '" + heapSetting + "'");
    }
    boolean otherCollector = java.util.stream.Stream.concat(operator.stream(), extra.stream())
        .anyMatch(a -> GC_CHOICE.matcher(a).matches() && !a.equals("-XX:+UseG1GC"));
    List<String> options = new ArrayList<>(herald(heapMb, !otherCollector));
    // Hands memory malloc keeps after a burst (compilers, Netty's direct buffers) back every few seconds.
    if (trimNativeHeap) options.add("-XX:TrimNativeHeapInterval=5000");
    options.addAll(inputArguments);
    options.addAll(extra);
    return new Choice(List.copyOf(options), null, null);
  }

  /** The memory of this machine, or of its container when it has a limit (the JVM reads cgroups). */
  public static long machineBytes() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
  }

  /**
   * The INFO line Herald logs when it starts: the heap bound and where it came from, with this
   * JVM's {@code -X} options.
   */
  public static String describe(List<String> inputArguments, Map<String, String> env, long maxHeapBytes) {
    Choice choice = choose(inputArguments, env, 0);
    String how = choice.reason() == null ? "this JVM's options as given (Herald embedded, not launched by its Main)"
        : choice.reason().equals(SUPERVISED) ? "sized by Herald (" + HEAP_ENV + " and " + JAVA_OPTS_ENV + " override it)"
        : choice.reason();
    String options = inputArguments.stream().filter(a -> a.startsWith("-X")).collect(Collectors.joining(" "));
    return "Memory: heap up to " + maxHeapBytes / (1024 * 1024) + " MB, " + how + (options.isEmpty() ? "" : ": " + options);
  }

  /** True when this JVM knows {@code -XX:TrimNativeHeapInterval} (17.0.9 and later updates); the child is the same JVM. */
  public static boolean canTrimNativeHeap() {
    try {
      ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption("TrimNativeHeapInterval");
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException notThisJvm) {
      return false;
    }
  }

  /** A quarter of the machine's memory, at least {@value #MIN_HEAP_MB} and at most {@value #DEFAULT_HEAP_MB} MB. */
  public static long defaultHeapMb(long machineBytes) {
    long quarter = machineBytes / 4 / (1024 * 1024);
    return Math.max(MIN_HEAP_MB, Math.min(DEFAULT_HEAP_MB, quarter));
  }

  /** Herald's options for a heap of {@code heapMb}; with G1's settings unless the operator picked another collector. */
  static List<String> herald(long heapMb, boolean g1) {
    List<String> options = new ArrayList<>(List.of(
        "-Xmx" + heapMb + "m",
        "-Xms" + Math.min(INITIAL_HEAP_MB, heapMb) + "m"));
    if (g1) {
      // G1 gives memory back: a concurrent cycle after a quiet minute, and its remark shrinks the heap to
      // at most 40 % free (the default 70 % kept a 256 MB heap whole over a 107 MB live set).
      options.addAll(List.of("-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=60000", "-XX:MinHeapFreeRatio=20",
          "-XX:MaxHeapFreeRatio=40"));
    }
    options.addAll(List.of(
        // Netty's buffers for connections and bodies; Kafka's clients and the log use the heap.
        "-XX:MaxDirectMemorySize=" + Math.max(64, heapMb / 2) + "m",
        // Herald's classes, its plugins' and the libraries' take ~60 MB; room for plugin reloads.
        "-XX:MaxMetaspaceSize=128m",
        "-XX:ReservedCodeCacheSize=64m",
        // Each thread that writes a heap buffer to a file or socket caches a direct copy of the largest one.
        "-Djdk.nio.maxCachedBufferSize=262144",
        // Out of heap, a server limps; exit so the service manager restarts it (the log keeps what was accepted).
        "-XX:+ExitOnOutOfMemoryError"));
    return options;
  }

  /** {@code 512m}, {@code 2g}, {@code 1048576k} or bytes, in whole megabytes (at least 1); -1 when not a size. */
  static long megabytes(String size) {
    Matcher m = SIZE.matcher(size);
    if (!m.matches()) return -1;
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException tooLong) {
      return -1;
    }
    long mb = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "g" -> n * 1024;
      case "m" -> n;
      case "k" -> n / 1024;
      default -> n / (1024 * 1024);
    };
    return mb >= 1 && mb <= 1024L * 1024 ? mb : -1;
  }

  private static boolean isFalse(String value) {
    return value != null && List.of("false", "no", "0", "off").contains(value.trim().toLowerCase(Locale.ROOT));
  }

  private static List<String> words(String value) {
    return value == null || value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
  }
}
