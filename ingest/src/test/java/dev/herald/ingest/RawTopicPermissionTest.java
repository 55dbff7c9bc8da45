package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A write key posts only to the raw topics its source lists in {@code rawTopics}. */
class RawTopicPermissionTest extends IngestTestBase {

  private static final Buffer RECORD = Buffer.buffer("{\"n\":1}");

  @Override
  IngestOptions options() {
    return super.options().withSources(List.of(
        new SourceOptions("web", WEB_KEY).withRawTopics(List.of("orders", "service-*")),
        new SourceOptions("backend", BACKEND_KEY)));
  }

  @Test
  void aSourcePostsToTheTopicsItListsByNameOrGlob() throws Exception {
    assertEquals(200, post("/v1/topics/orders", RECORD, headers(WEB_KEY, "application/json")).statusCode());
    assertEquals(200, post("/v1/topics/service-events", RECORD, headers(WEB_KEY, "application/json")).statusCode());
    assertEquals(List.of("orders", "service-events"), readLog().stream().map(LogEntry::event)
        .map(e -> e.topic()).toList());
  }

  @Test
  void aTopicTheSourceDoesNotListIsRefused403NamingIt() throws Exception {
    JsonObject body = assertError(post("/v1/topics/clicks", RECORD, headers(WEB_KEY, "application/json")),
        403, "topic_not_allowed");
    assertTrue(body.getString("message").contains("'clicks'") && body.getString("message").contains("rawTopics"),
        body.getString("message"));
    // "service-*" is a prefix glob, not a substring match.
    assertError(post("/v1/topics/my-service-events", RECORD, headers(WEB_KEY, "application/json")),
        403, "topic_not_allowed");
    assertTrue(readLog().isEmpty());
  }

  @Test
  void aSourceWithoutRawTopicsPostsToNone() throws Exception {
    assertError(post("/v1/topics/orders", RECORD, headers(BACKEND_KEY, "application/json")), 403, "topic_not_allowed");
    // Segment events are unaffected.
    assertEquals(200, post("/v1/track", track("u", "E"), BACKEND_KEY).statusCode());
    assertEquals(1, readLog().size());
  }

  @Test
  void rawTopicEntriesAreTopicNamesOrGlobs() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new SourceOptions("s", "k").withRawTopics(List.of("orders/eu")));
    assertTrue(bad.getMessage().contains("orders/eu"), bad.getMessage());
    assertTrue(new SourceOptions("s", "k").withRawTopics(List.of("*")).allowsRawTopic("anything.at-all_1"));
    assertTrue(new SourceOptions("s", "k").withRawTopics(List.of("a*z")).allowsRawTopic("abcz"));
    assertTrue(!new SourceOptions("s", "k").withRawTopics(List.of("a*z")).allowsRawTopic("abc"));
  }
}
