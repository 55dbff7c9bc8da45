package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.jvm.MemoryOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar herald.jar} without heap options: the JVM the operator started supervises a
 * server JVM with Herald's memory options, passes SIGHUP and SIGTERM on to it, exits with its
 * status, and the server does not outlive a supervisor killed with SIGKILL.
 */
@DisabledOnOs(OS.WINDOWS)
class MemoryDefaultsIT {

  private static final String WRITE_KEY = "memory-write-key";

  @TempDir Path dir;
  private Vertx vertx;
  private WebClient client;
  private HeraldProcess herald;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (herald != null) {
      herald.process.descendants().forEach(ProcessHandle::destroyForcibly);
      if (herald.process.isAlive()) herald.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    await(vertx.close());
  }

  private String config(String moreDestinations) {
    return """
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: backend, writeKey: %s }]
        log: { dir: "%s" }
        plugins: { dir: "%s" }
        destinations:
          - { id: first, type: file, config: { path: "%s" } }
        %s""".formatted(WRITE_KEY, dir.resolve("data"), PluginJars.source().toAbsolutePath(), dir.resolve("first.ndjson"),
        moreDestinations);
  }

  /** A plain start: no JVM options, and none from the environment either. */
  private HeraldProcess start(Path config, Map<String, String> env) throws IOException {
    Path jar = Path.of(System.getProperty("herald.jar", "target/herald.jar"));
    assertTrue(Files.isRegularFile(jar), "the fat JAR is missing: " + jar);
    Map<String, String> cleared = new HashMap<>();
    for (String name : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", MemoryOptions.HEAP_ENV, MemoryOptions.JAVA_OPTS_ENV,
        MemoryOptions.RELAUNCH_ENV)) {
      cleared.put(name, null);
    }
    cleared.putAll(env);
    return HeraldProcess.start(jar, config, dir, List.of(), cleared);
  }

  @Test
  void withoutHeapOptionsTheServerRunsBoundedInAChildThatGetsTheParentsSignals() throws Exception {
    Path config = Files.writeString(dir.resolve("herald.yaml"), config(""));
    herald = start(config, Map.of());
    int ingestPort = herald.awaitStarted(Duration.ofSeconds(90));

    ProcessHandle server = server(herald);
    long heapMb = MemoryOptions.defaultHeapMb(MemoryOptions.machineBytes());
    List<String> serverArgs = arguments(server);
    assertTrue(serverArgs.contains("-Xmx" + heapMb + "m"), serverArgs.toString());
    assertTrue(serverArgs.containsAll(List.of("-XX:+UseG1GC", "-XX:MaxDirectMemorySize=128m", "-jar")), serverArgs.toString());
    assertTrue(serverArgs.contains("-Dherald.supervisor=" + herald.process.pid()), serverArgs.toString());
    assertTrue(herald.log().contains("Memory: heap up to " + heapMb + " MB, sized by Herald"), herald.log());
    assertTrue(herald.process.descendants().allMatch(p -> p.pid() == server.pid()), "one server, no other process");

    Path second = dir.resolve("second.ndjson");
    Files.writeString(config, config("  - { id: second, type: file, config: { path: \"" + second + "\" } }\n"));
    signal("HUP", herald.process.pid());
    Polling.until(Duration.ofSeconds(90), () -> herald.log().contains("SIGHUP reload done"),
        () -> "no reload logged:\n" + herald.log());
    assertTrue(herald.log().contains("\"added\":[\"second\"]"), herald.log());
    send(ingestPort, "after-hup");
    Polling.until(Duration.ofSeconds(60), () -> read(second).contains("after-hup") && read(dir.resolve("first.ndjson"))
        .contains("after-hup"), () -> "the event did not reach both destinations\n" + herald.log());
    assertTrue(server.isAlive() && herald.process.isAlive(), "SIGHUP stops nothing");

    herald.process.toHandle().destroy(); // SIGTERM to the supervisor (Process.destroy would close its output too)
    assertTrue(herald.process.waitFor(90, TimeUnit.SECONDS), "Herald did not stop on SIGTERM\n" + herald.log());
    assertEquals(0, herald.process.exitValue(), herald.log());
    assertFalse(running(server), "the server outlived its supervisor");
    Polling.until(Duration.ofSeconds(30), () -> herald.log().contains("Herald stopped"),
        () -> "the server did not drain and stop\n" + herald.log());
    assertFalse(herald.log().contains("is gone"), "SIGTERM, not the end of the link, stopped the server\n" + herald.log());
  }

  @Test
  void heraldHeapSizesTheServerAndTheServerStopsWhenItsSupervisorIsKilled() throws Exception {
    // The server's log also goes to a file: its output reaches the pipe this test reads only while the
    // supervisor lives (the JDK stops reading a child's output once the child has exited).
    Path serverLog = dir.resolve("server.log");
    Path logback = Files.writeString(dir.resolve("logback.xml"), """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder><pattern>%%logger{0} %%msg%%n</pattern></encoder>
          </appender>
          <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%%logger{0} %%msg%%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="FILE"/><appender-ref ref="CONSOLE"/></root>
        </configuration>
        """.formatted(serverLog));
    herald = start(Files.writeString(dir.resolve("herald.yaml"), config("")), Map.of(MemoryOptions.HEAP_ENV, "160m",
        MemoryOptions.JAVA_OPTS_ENV, "-Dherald.test.marker=yes -Dlogback.configurationFile=" + logback));
    int ingestPort = herald.awaitStarted(Duration.ofSeconds(90));
    ProcessHandle server = server(herald);
    List<String> serverArgs = arguments(server);
    assertTrue(serverArgs.containsAll(List.of("-Xmx160m", "-Dherald.test.marker=yes")), serverArgs.toString());
    Polling.until(Duration.ofSeconds(30), () -> read(serverLog).contains("Memory: heap up to 160 MB"),
        () -> "no memory line in the server's log:\n" + read(serverLog));
    send(ingestPort, "before-kill");
    Polling.until(Duration.ofSeconds(60), () -> read(dir.resolve("first.ndjson")).contains("before-kill"),
        () -> "the server delivers nothing\n" + herald.log());

    herald.process.toHandle().destroyForcibly(); // SIGKILL: the supervisor cannot pass anything on
    assertTrue(herald.process.waitFor(30, TimeUnit.SECONDS));
    Polling.until(Duration.ofSeconds(90), () -> !running(server), () -> "the server runs on without its supervisor\n"
        + read(serverLog));
    String log = read(serverLog);
    String gone = "Herald's supervising process " + herald.process.pid() + " is gone: stopping";
    assertTrue(log.contains(gone) && log.indexOf("Herald stopped") > log.indexOf(gone),
        "the server did not drain and stop on its own:\n" + log);
  }

  private static ProcessHandle server(HeraldProcess herald) throws InterruptedException {
    Polling.until(Duration.ofSeconds(30), () -> herald.process.children().findAny().isPresent(),
        () -> "no server JVM under the supervisor\n" + herald.log());
    return herald.process.children().findFirst().orElseThrow();
  }

  private static List<String> arguments(ProcessHandle process) {
    Optional<String[]> args = process.info().arguments();
    assertTrue(args.isPresent(), "the server's command line cannot be read");
    return Arrays.asList(args.get());
  }

  /** Alive and not a zombie: a server whose supervisor died is reaped by whoever adopts it, maybe never. */
  private static boolean running(ProcessHandle process) {
    if (!process.isAlive()) return false;
    String stat = read(Path.of("/proc", Long.toString(process.pid()), "stat"));
    return !stat.isEmpty() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
  }

  private void send(int ingestPort, String messageId) {
    HttpResponse<Buffer> sent = await(client.post(ingestPort, "127.0.0.1", "/v1/batch").basicAuthentication(WRITE_KEY, "")
        .sendJsonObject(new JsonObject().put("batch", new JsonArray(List.of(new JsonObject().put("type", "track")
            .put("event", "Memory").put("userId", "u").put("messageId", messageId))))));
    assertEquals(200, sent.statusCode(), sent.bodyAsString());
  }

  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertEquals(0, kill.waitFor());
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
