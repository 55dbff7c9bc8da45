package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin template built as its user would — {@code mvn package} on a copy of
 * {@code examples/destination-template}, against this build's {@code destinations-api} and
 * {@code destinations-testkit} (its own tests run the testkit's contract check) — and its JAR,
 * alone in a plugins folder, delivering an event through the fat JAR to a local HTTP server.
 */
class PluginTemplateIT {

  private static final String WRITE_KEY = "template-write-key";

  @TempDir Path dir;
  private Vertx vertx;
  private HeraldProcess child;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (child != null && child.process.isAlive()) child.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void theTemplateBuildsIntoAPluginThatHeraldLoadsAndDeliversThrough() throws Exception {
    Path jar = TemplateBuild.run(dir);
    try (JarFile plugin = new JarFile(jar.toFile())) {
      assertEquals("example", plugin.getManifest().getMainAttributes().getValue("Plugin-Id"));
      assertTrue(new String(plugin.getInputStream(plugin.getEntry("META-INF/extensions.idx")).readAllBytes())
          .contains("com.example.herald.ExampleDestinationFactory"), "PF4J's index names the factory");
      List<String> bundled = plugin.stream().map(e -> e.getName())
          .filter(n -> n.matches("(io/vertx|io/netty|com/fasterxml|org/pf4j|org/slf4j|dev/herald)/.*")).toList();
      assertEquals(List.of(), bundled, "host classes in the plugin JAR");
    }
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Files.copy(jar, plugins.resolve(jar.getFileName()));

    DestinationServer receiver = DestinationServer.start(vertx, 0).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    Path config = Files.writeString(dir.resolve("herald.yaml"), """
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: web, writeKey: %s }]
        log: { dir: "%s" }
        plugins: { dir: "%s" }
        destinations:
          - id: mine
            type: example
            config: { url: "http://127.0.0.1:%d/events" }
            delivery: { lingerMs: 5 }
        """.formatted(WRITE_KEY, dir.resolve("data"), plugins, receiver.port()));
    Path heraldJar = Path.of(System.getProperty("herald.jar", "target/herald.jar"));
    child = HeraldProcess.start(heraldJar, config, dir);
    int ingestPort = child.awaitStarted(Duration.ofSeconds(60));

    WebClient client = WebClient.create(vertx);
    JsonObject event = new JsonObject().put("event", "Template Works").put("userId", "user-1").put("messageId", "tpl-1");
    HttpResponse<Buffer> accepted = client.post(ingestPort, "127.0.0.1", "/v1/track").basicAuthentication(WRITE_KEY, "")
        .sendJsonObject(event).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(200, accepted.statusCode(), accepted.bodyAsString());

    Polling.until(Duration.ofSeconds(60), () -> receiver.received().contains("tpl-1"),
        () -> "the event did not arrive through the template plugin\n" + child.log());
    receiver.assertEachArrivedExactlyOnce(Set.of("tpl-1"));

    child.process.destroy();
    assertTrue(child.process.waitFor(60, TimeUnit.SECONDS), "Herald did not stop on SIGTERM");
    assertEquals(0, child.process.exitValue(), child.log());
  }

  /** Installs this build's Herald artifacts where the template resolves them, then runs its build. */
  static final class TemplateBuild {

    private TemplateBuild() {}

    static Path run(Path dir) throws IOException, InterruptedException {
      Path root = Path.of(System.getProperty("herald.root", "..")).toAbsolutePath().normalize();
      String version = System.getProperty("herald.version", "0.1.0-SNAPSHOT");
      Path template = copyTree(root.resolve("examples/destination-template"), dir.resolve("template"));
      // A fresh local repository holding only this build's Herald artifacts, chained (read-only)
      // to the one the build resolved everything else from: ~/.m2 gets nothing, and offline works.
      Path repo = dir.resolve("m2");
      install(repo, "herald-parent", version, root.resolve("pom.xml"), null);
      for (String module : List.of("destinations-api", "bus", "destinations-testkit")) {
        Path jar = root.resolve(module + "/target/" + module + "-" + version + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run the reactor build (./mvnw verify) first");
        install(repo, module, version, root.resolve(module + "/pom.xml"), jar);
      }
      String tail = System.getProperty("herald.localRepository", System.getProperty("user.home") + "/.m2/repository");
      List<String> command = new java.util.ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B",
          "-f", template.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + repo,
          "-Dmaven.repo.local.tail=" + tail, "package"));
      if (Boolean.getBoolean("herald.offline")) command.add(2, "-o");
      Path output = dir.resolve("template-build.log");
      Process build = new ProcessBuilder(command).directory(template.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (!build.waitFor(5, TimeUnit.MINUTES)) {
        build.destroyForcibly();
        throw new AssertionError("the template build took over 5 minutes:\n" + Files.readString(output));
      }
      assertEquals(0, build.exitValue(), "the template build failed:\n" + Files.readString(output));
      return template.resolve("target/destination-example-1.0.0.jar");
    }

    /** What {@code install:install-file} does: the POM (and JAR) at their place in the repository layout. */
    private static void install(Path repo, String artifactId, String version, Path pom, Path jar) throws IOException {
      Path at = Files.createDirectories(repo.resolve("dev/herald/" + artifactId + "/" + version));
      Files.copy(pom, at.resolve(artifactId + "-" + version + ".pom"));
      if (jar != null) Files.copy(jar, at.resolve(artifactId + "-" + version + ".jar"));
    }

    private static Path copyTree(Path from, Path to) throws IOException {
      try (var files = Files.walk(from)) {
        for (Path source : files.toList()) {
          Path relative = from.relativize(source);
          if (relative.startsWith("target")) continue;
          Path target = to.resolve(relative.toString());
          if (Files.isDirectory(source)) Files.createDirectories(target);
          else Files.copy(source, target);
        }
      }
      return to;
    }
  }
}
