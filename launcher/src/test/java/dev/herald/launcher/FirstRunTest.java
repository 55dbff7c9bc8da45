package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.config.HeraldConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstRunTest {

  @Test
  void theDemoWriteKeyIsGeneratedOnceAndKept(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    HeraldConfig first = FirstRun.config(data);
    String key = first.sources().get(0).writeKey();
    assertTrue(key.startsWith("demo_") && key.length() > 20, key);
    assertEquals(key, Files.readString(data.resolve("demo-write-key")).trim());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("demo-write-key"))));
    assertEquals(key, FirstRun.config(data).sources().get(0).writeKey());

    assertEquals(List.of("*"), first.sources().get(0).rawTopics(), "the demo source may post to every raw topic");
    assertEquals("0.0.0.0", first.server().host());
    assertEquals(8080, first.server().port());
    assertEquals(data, first.log().dir());
    assertEquals("file", first.destinations().get(0).type());
    assertEquals(data.resolve("out").resolve("events.ndjson").toString(),
        first.destinations().get(0).config().getString("path"));
    String banner = FirstRun.banner(key, data.resolve("demo-write-key"), 8080, data.resolve("out/events.ndjson"));
    assertTrue(banner.contains("curl -u '" + key + ":'"), banner);
    assertTrue(banner.contains("http://localhost:8080/v1/track"), banner);
  }
}
