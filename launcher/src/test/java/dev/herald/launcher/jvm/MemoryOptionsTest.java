package dev.herald.launcher.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryOptionsTest {

  private static final long GB = 1024L * 1024 * 1024;

  private static MemoryOptions.Choice choose(List<String> jvmArgs, Map<String, String> env) {
    return MemoryOptions.choose(jvmArgs, env, 16 * GB);
  }

  @Test
  void withoutHeapOptionsTheServerRunsInAChildWithHeraldsBoundedHeap() {
    MemoryOptions.Choice choice = choose(List.of(), Map.of());
    assertTrue(choice.relaunch());
    List<String> options = choice.jvmOptions();
    assertEquals("-Xmx256m", options.get(0));
    assertTrue(options.containsAll(List.of("-Xms32m", "-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=60000",
        "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40",
        "-XX:MaxDirectMemorySize=128m", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m",
        "-XX:+ExitOnOutOfMemoryError")), options.toString());
  }

  @Test
  void aJvmThatCanTrimItsNativeHeapDoesSoEveryFewSeconds() {
    assertTrue(MemoryOptions.choose(List.of(), Map.of(), 16 * GB, true).jvmOptions()
        .contains("-XX:TrimNativeHeapInterval=5000"));
    assertFalse(MemoryOptions.choose(List.of(), Map.of(), 16 * GB, false).jvmOptions().stream()
        .anyMatch(o -> o.startsWith("-XX:TrimNativeHeapInterval")), "an older JVM would refuse the option");
  }

  @Test
  void theDefaultHeapIsAQuarterOfASmallMachineAndNeverBelowTheMinimum() {
    assertEquals(256, MemoryOptions.defaultHeapMb(16 * GB));
    assertEquals(256, MemoryOptions.defaultHeapMb(1 * GB));
    assertEquals(128, MemoryOptions.defaultHeapMb(GB / 2));
    assertEquals(64, MemoryOptions.defaultHeapMb(GB / 8));
    assertEquals("-Xmx128m", MemoryOptions.choose(List.of(), Map.of(), GB / 2).jvmOptions().get(0));
  }

  @Test
  void anExplicitHeapOptionKeepsTheServerInThisJvmAsGiven() {
    for (String option : List.of("-Xmx1g", "-Xms512m", "-XX:MaxRAMPercentage=50", "-XX:MaxRAM=2g",
        "-XX:InitialRAMPercentage=10", "-XX:MaxHeapSize=1073741824")) {
      MemoryOptions.Choice choice = choose(List.of("-Dfoo=bar", option), Map.of());
      assertFalse(choice.relaunch(), option);
      assertTrue(choice.reason().contains(option), choice.reason());
    }
  }

  @Test
  void heapOptionsInTheJavaOptionVariablesCountAsChosen() {
    assertFalse(choose(List.of(), Map.of("JAVA_TOOL_OPTIONS", "-Dx=1 -Xmx300m")).relaunch());
    assertFalse(choose(List.of(), Map.of("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=25")).relaunch());
    assertTrue(choose(List.of(), Map.of("JAVA_TOOL_OPTIONS", "-Dfile.encoding=UTF-8")).relaunch());
  }

  @Test
  void theOptOutRunsTheServerInThisJvm() {
    assertFalse(choose(List.of(), Map.of("HERALD_RELAUNCH", "false")).relaunch());
    assertFalse(choose(List.of("-Dherald.relaunch=false"), Map.of()).relaunch());
    assertTrue(choose(List.of(), Map.of("HERALD_RELAUNCH", "true")).relaunch());
  }

  @Test
  void theServerJvmItselfNeverRelaunches() {
    MemoryOptions.Choice choice = choose(List.of("-Dherald.supervisor=42"), Map.of());
    assertFalse(choice.relaunch());
  }

  @Test
  void debuggersRecordingsAndAgentsKeepTheServerInTheJvmTheyAttachTo() {
    for (String option : List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
        "-javaagent:/opt/agent.jar", "-XX:StartFlightRecording=filename=h.jfr")) {
      assertFalse(choose(List.of(option), Map.of()).relaunch(), option);
    }
  }

  @Test
  void heraldHeapSetsTheHeapAndTheDirectMemoryFollowsIt() {
    List<String> options = choose(List.of(), Map.of("HERALD_HEAP", "1g")).jvmOptions();
    assertEquals("-Xmx1024m", options.get(0));
    assertTrue(options.contains("-XX:MaxDirectMemorySize=512m"), options.toString());
    assertEquals("-Xmx512m", choose(List.of(), Map.of("HERALD_HEAP", "512M")).jvmOptions().get(0));
  }

  @Test
  void aMalformedHeraldHeapIsAnErrorAndStartsNothing() {
    for (String bad : List.of("lots", "1.5g", "-1g", "0", "12t")) {
      MemoryOptions.Choice choice = choose(List.of(), Map.of("HERALD_HEAP", bad));
      assertFalse(choice.relaunch(), bad);
      assertTrue(choice.error().contains("HERALD_HEAP must be a size such as 512m or 2g"), choice.error());
    }
    assertNull(choose(List.of(), Map.of()).error());
  }

  @Test
  void theOperatorsOptionsComeAfterHeraldsSoTheyWin() {
    List<String> options = choose(List.of("-Dapp=1", "-XX:MaxMetaspaceSize=256m"),
        Map.of("HERALD_JAVA_OPTS", " -XX:ReservedCodeCacheSize=128m  -Dextra=2 ")).jvmOptions();
    int heralds = options.indexOf("-XX:ReservedCodeCacheSize=64m");
    assertTrue(heralds >= 0 && heralds < options.indexOf("-XX:MaxMetaspaceSize=256m"), options.toString());
    assertEquals(List.of("-Dapp=1", "-XX:MaxMetaspaceSize=256m", "-XX:ReservedCodeCacheSize=128m", "-Dextra=2"),
        options.subList(options.size() - 4, options.size()));
  }

  @Test
  void anotherCollectorChosenByTheOperatorReplacesHeraldsG1Settings() {
    List<String> options = choose(List.of("-XX:+UseSerialGC"), Map.of()).jvmOptions();
    assertFalse(options.contains("-XX:+UseG1GC"), options.toString());
    assertFalse(options.stream().anyMatch(o -> o.startsWith("-XX:G1") || o.contains("HeapFreeRatio")),
        options.toString());
    assertEquals("-Xmx256m", options.get(0));
    List<String> viaHeraldOptions = choose(List.of(), Map.of("HERALD_JAVA_OPTS", "-XX:+UseZGC")).jvmOptions();
    assertFalse(viaHeraldOptions.contains("-XX:+UseG1GC"), viaHeraldOptions.toString());
    assertTrue(choose(List.of("-XX:+UseG1GC"), Map.of()).jvmOptions().contains("-XX:G1PeriodicGCInterval=60000"));
  }

  @Test
  void theStartLineSaysWhoChoseTheHeap() {
    String supervised = MemoryOptions.describe(List.of("-Xmx256m", "-Xms32m", "-Dherald.supervisor=7"), Map.of(),
        256L * 1024 * 1024);
    assertEquals("Memory: heap up to 256 MB, sized by Herald (HERALD_HEAP and HERALD_JAVA_OPTS override it): -Xmx256m -Xms32m",
        supervised);
    String operator = MemoryOptions.describe(List.of("-Xmx1g"), Map.of(), GB);
    assertEquals("Memory: heap up to 1024 MB, heap chosen by the JVM options (-Xmx1g): -Xmx1g", operator);
  }
}
