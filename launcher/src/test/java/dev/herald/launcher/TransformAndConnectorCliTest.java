package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.config.ConfigLoader;
import dev.herald.launcher.config.Secrets;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald transform}, {@code --connector} and {@code --secrets} through the command line. */
@ExtendWith(VertxExtension.class)
class TransformAndConnectorCliTest {

  private static final String TOKEN = "cli-amp-t0ken";
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Path dir, Map<String, String> env, String... args) {
    out.reset();
    err.reset();
    Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        new Secrets(env::get), dir.resolve("data"));
    return cli.run(args);
  }

  private static Path config(Path dir) throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    Files.writeString(dir.resolve("amplitude.yaml"), FluvioConnectorTransformTest.seedConnector(9));
    return Files.writeString(dir.resolve("herald.yaml"), """
        server: { host: 127.0.0.1, port: 0 }
        admin: { host: 127.0.0.1, port: 0 }
        sources: [{ id: backend, writeKey: backend-key, rawTopics: ["*"] }]
        log: { dir: "%s", fsync: always }
        plugins: { dir: "%s" }
        connectors: [amplitude.yaml]
        """.formatted(dir.resolve("log"), dir.resolve("plugins")));
  }

  @Test
  void transformPreviewsEachEventOfAFileWithItsOutputOrErrorAndMasksSecrets(@TempDir Path dir) throws Exception {
    Path config = config(dir);
    Path events = Files.writeString(dir.resolve("events.ndjson"), """
        {"event":{"event_type":"signup","user_id":"user-42"},"timestamp":"2026-11-29T10:00:00Z"}

        {"timestamp":"2026-11-29T10:00:01Z","note":"no event here"}
        {"event":{"event_type":"login","user_id":"user-7"}}
        """);
    int status = run(dir, Map.of("AMPLITUDE_API_TOKEN", TOKEN), "transform", "--config", config.toString(),
        "--destination", "amplitude-connector", "--file", events.toString());
    String text = out.toString();
    assertEquals(1, status, "one event failed: " + text + err);
    List<String> lines = text.lines().toList();
    assertEquals(List.of(
        "#1 (events.ndjson line 1)",
        "  in:    {\"event\":{\"event_type\":\"signup\",\"user_id\":\"user-42\"},\"timestamp\":\"2026-11-29T10:00:00Z\"}",
        "  out:   {\"events\":[{\"event_type\":\"signup\",\"user_id\":\"user-42\"}],\"api_key\":\"******\"}",
        "#2 (events.ndjson line 3)",
        "  in:    {\"timestamp\":\"2026-11-29T10:00:01Z\",\"note\":\"no event here\"}",
        "  error: transform_failed: step 2 (shift): yielded nothing",
        "#3 (events.ndjson line 4)",
        "  in:    {\"event\":{\"event_type\":\"login\",\"user_id\":\"user-7\"}}",
        "  out:   {\"events\":[{\"event_type\":\"login\",\"user_id\":\"user-7\"}],\"api_key\":\"******\"}",
        "3 event(s), 2 transformed, 1 failed"), lines);
    assertFalse(text.contains(TOKEN));
  }

  @Test
  void transformRecentReadsTheNewestEventsOfTheDestinationsTopicWhileHeraldRuns(@TempDir Path dir, Vertx vertx)
      throws Exception {
    Path config = config(dir);
    Map<String, String> env = Map.of("AMPLITUDE_API_TOKEN", TOKEN);
    Herald herald = Herald.start(vertx, new ConfigLoader(new Secrets(env::get)).load(config)).await();
    try {
      WebClient client = WebClient.create(vertx);
      for (int i = 1; i <= 5; i++) {
        int code = client.post(herald.ingestPort(), "127.0.0.1", "/v1/topics/service-events")
            .basicAuthentication("backend-key", "").putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{\"messageId\":\"r" + i + "\",\"event\":{\"event_type\":\"e" + i + "\"}}"))
            .await().statusCode();
        assertEquals(200, code);
      }
      assertEquals(200, client.post(herald.ingestPort(), "127.0.0.1", "/v1/topics/other-topic")
          .basicAuthentication("backend-key", "").sendBuffer(Buffer.buffer("{\"messageId\":\"other\"}")).await().statusCode());
      client.close();

      int status = run(dir, env, "transform", "--config", config.toString(), "--destination", "amplitude-connector",
          "--recent", "3");
      String text = out.toString();
      assertEquals(0, status, text + err);
      List<String> labels = text.lines().filter(l -> l.startsWith("#")).toList();
      assertEquals(3, labels.size(), text);
      for (int i = 0; i < 3; i++) {
        assertTrue(labels.get(i).startsWith("#" + (i + 1) + " messageId=r" + (i + 3) + " topic=service-events source=backend"),
            labels.get(i));
      }
      assertTrue(text.contains("  out:   {\"events\":[{\"event_type\":\"e5\"}],\"api_key\":\"******\"}"), text);
      assertTrue(text.endsWith("3 event(s), 3 transformed, 0 failed\n"), text);
      assertFalse(text.contains("other"), "another topic's record is not this destination's");

      run(dir, env, "transform", "--config", config.toString(), "--destination", "amplitude-connector", "--recent", "50");
      assertTrue(out.toString().contains("5 event(s), 5 transformed, 0 failed (the log holds no more"), out.toString());
    } finally {
      herald.stop().await();
    }
  }

  @Test
  void aSecretsFileResolvesAConnectorsSecretsBeforeTheEnvironment(@TempDir Path dir) throws Exception {
    Path config = config(dir);
    assertEquals(1, run(dir, Map.of(), "validate", "--config", config.toString()));
    assertTrue(err.toString().contains("amplitude.yaml: meta.secrets[0].name: secret 'AMPLITUDE_API_TOKEN' is not set"),
        err.toString());

    Path secrets = Files.writeString(dir.resolve("secrets.txt"), "# Fluvio's --secrets format\nAMPLITUDE_API_TOKEN="
        + TOKEN + "\n\n");
    assertEquals(0, run(dir, Map.of(), "validate", "--config", config.toString(), "--secrets", secrets.toString()),
        err.toString());
    assertTrue(out.toString().contains("config OK"));

    Path events = Files.writeString(dir.resolve("e.ndjson"), "{\"event\":{\"n\":1}}\n");
    assertEquals(0, run(dir, Map.of("AMPLITUDE_API_TOKEN", "from-env"), "transform", "--config", config.toString(),
        "--secrets", secrets.toString(), "--destination", "amplitude-connector", "--file", events.toString()));
    assertTrue(out.toString().contains("\"api_key\":\"******\""), "the file's value, masked: " + out);

    Path bad = Files.writeString(dir.resolve("bad.txt"), "AMPLITUDE_API_TOKEN " + TOKEN + "\n");
    assertEquals(2, run(dir, Map.of(), "validate", "--config", config.toString(), "--secrets", bad.toString()));
    assertTrue(err.toString().contains("bad.txt line 1: must be NAME=value"), err.toString());
    assertFalse(err.toString().contains(TOKEN), err.toString());
  }

  @Test
  void anUnknownConnectorTypeIsRefusedWithTheFileAndKey(@TempDir Path dir) throws Exception {
    Path config = config(dir);
    Path connector = Files.writeString(dir.resolve("pg.yaml"), """
        apiVersion: 0.1.0
        meta: { version: 0.1.0, name: pg, type: sql-sink, topic: orders }
        sql: { url: "postgres://localhost" }
        """);
    assertEquals(1, run(dir, Map.of("AMPLITUDE_API_TOKEN", TOKEN), "validate", "--config", config.toString(),
        "--connector", connector.toString()));
    assertTrue(err.toString().contains(connector + ": meta.type: unknown connector type 'sql-sink'"), err.toString());
  }

  @Test
  void connectorsAloneRunBesideTheFirstRunSetup(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("amplitude.yaml"), FluvioConnectorTransformTest.seedConnector(9));
    Path events = Files.writeString(dir.resolve("e.ndjson"), "{\"event\":{\"n\":1},\"timestamp\":1}\n");
    Cli.Args args = Cli.parse(new String[] {"--connector", "a.yaml", "--connector=b.yaml", "--secrets", "s.txt"});
    assertEquals(List.of(Path.of("a.yaml"), Path.of("b.yaml")), args.connectors());
    assertEquals(List.of(), args.errors());

    assertEquals(0, run(dir, Map.of("AMPLITUDE_API_TOKEN", TOKEN), "transform", "--connector",
        dir.resolve("amplitude.yaml").toString(), "--destination", "amplitude-connector", "--file", events.toString()),
        err.toString());
    assertTrue(out.toString().contains("  out:   {\"events\":[{\"n\":1}],\"api_key\":\"******\"}"), out.toString());
    assertEquals(0, run(dir, Map.of("AMPLITUDE_API_TOKEN", TOKEN), "transform", "--connector",
        dir.resolve("amplitude.yaml").toString(),
        "--destination", "local-file", "--recent", "1"));
    assertTrue(out.toString().contains("destination 'local-file' has no transforms"), out.toString() + err);
  }

  @Test
  void transformNeedsADestinationAndOneSourceOfEvents(@TempDir Path dir) {
    assertEquals(2, run(dir, Map.of(), "transform", "--config", "x.yaml"));
    assertTrue(err.toString().contains("transform needs --destination ID"), err.toString());
    assertTrue(err.toString().contains("transform needs either --file FILE or --recent N"), err.toString());
    assertEquals(2, run(dir, Map.of(), "transform", "--destination", "d", "--file", "f", "--recent", "2"));
    assertEquals(2, run(dir, Map.of(), "transform", "--destination", "d", "--recent", "0"));
    assertTrue(err.toString().contains("--recent needs a number of events from 1 to 10000"), err.toString());
    assertEquals(2, run(dir, Map.of(), "--destination", "d"));
  }
}
