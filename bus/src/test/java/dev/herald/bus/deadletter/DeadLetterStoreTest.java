package dev.herald.bus.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class DeadLetterStoreTest {

  @TempDir Path dir;

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Event event(int i) {
    JsonObject payload = new JsonObject().put("type", "track").put("event", "E" + i).put("userId", "u" + i);
    return new Event("m" + i, "track", "analytics", "web", "u" + i, Instant.parse("2026-01-01T00:00:00Z"),
        payload.toBuffer());
  }

  private static DeadLetter letter(int i, String reason, Instant at) {
    return DeadLetter.of(event(i), "amp", reason, 400, "body " + i, 2, at.minusSeconds(5), at);
  }

  @Test
  void appendsSurviveReopenAndQueriesFilter(Vertx vertx) throws Exception {
    Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
    DeadLetterStore store = await(DeadLetterStore.open(vertx, dir, "amp"));
    List<DeadLetter> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(letter(i, i % 2 == 0 ? "HTTP 400: invalid user_id" : "retries exhausted: HTTP 503", t0.plusSeconds(i)));
    }
    List<DeadLetter> stored = await(store.append(batch));
    assertEquals(1, stored.get(0).id());
    assertEquals(10, stored.get(9).id());
    assertEquals(10, store.count());
    await(store.close());

    FileDeadLetterStore reopened = await(FileDeadLetterStore.open(vertx, dir, "amp"));
    assertEquals(10, reopened.count());
    assertEquals(dir.resolve("amp.ndjson"), reopened.file());
    List<DeadLetter> all = await(reopened.list(DeadLetterQuery.firstPage()));
    assertEquals(10, all.size());
    DeadLetter first = all.get(0);
    assertEquals("m0", first.messageId());
    assertEquals("amp", first.destination());
    assertEquals(400, first.status());
    assertEquals("body 0", first.responseExcerpt());
    assertEquals(2, first.attempts());
    assertEquals(t0.minusSeconds(5), first.firstAttemptAt());
    assertEquals(t0, first.deadLetteredAt());
    Event back = first.toEvent();
    assertEquals(event(0).payload(), back.payload());
    assertEquals("u0", back.partitionKey());
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), back.receivedAt());

    DeadLetterQuery q = DeadLetterQuery.firstPage();
    assertEquals(List.of("m1", "m3", "m5", "m7", "m9"),
        ids(await(reopened.list(q.withReasonContaining("EXHAUSTED")))));
    assertEquals(List.of("m3", "m4", "m5"), ids(await(reopened.list(q.withTimeRange(t0.plusSeconds(3), t0.plusSeconds(6))))));
    assertEquals(List.of("m7"), ids(await(reopened.list(q.withMessageId("m7")))));
    assertEquals(List.of("m4", "m5"), ids(await(reopened.list(q.withLimit(2).withOffset(4)))));
    assertEquals(List.of("m5", "m7"), ids(await(reopened.list(q.withReasonContaining("503").withOffset(2).withLimit(2)))));

    List<DeadLetter> more = await(reopened.append(List.of(letter(10, "late", t0.plusSeconds(20)))));
    assertEquals(11, more.get(0).id(), "ids keep increasing across reopen");
    assertEquals(11, reopened.count());
    await(reopened.close());
  }

  @Test
  void aTornLastLineFromACrashIsDropped(Vertx vertx) throws Exception {
    DeadLetterStore store = await(DeadLetterStore.open(vertx, dir, "amp"));
    await(store.append(List.of(letter(1, "r", Instant.now()), letter(2, "r", Instant.now()))));
    await(store.close());
    Files.writeString(dir.resolve("amp.ndjson"), "{\"id\":3,\"messageId\":\"m3\",\"dest", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    DeadLetterStore reopened = await(DeadLetterStore.open(vertx, dir, "amp"));
    assertEquals(2, reopened.count());
    await(reopened.append(List.of(letter(4, "r", Instant.now()))));
    assertEquals(List.of("m1", "m2", "m4"), ids(await(reopened.list(DeadLetterQuery.firstPage()))));
    await(reopened.close());
  }

  @Test
  void excerptsAreBoundedAndQueriesValidated() {
    String huge = "é".repeat(2000);
    DeadLetter letter = DeadLetter.of(event(1), "amp", "r", 400, huge, 1, null, Instant.now());
    assertTrue(letter.responseExcerpt().getBytes(StandardCharsets.UTF_8).length <= DeadLetter.MAX_EXCERPT_BYTES);
    assertEquals(512, letter.responseExcerpt().length(), "cut on a character boundary");
    assertEquals(100, DeadLetterQuery.firstPage().limit());
    assertThrows(IllegalArgumentException.class, () -> DeadLetterQuery.firstPage().withLimit(1001));
    assertThrows(IllegalArgumentException.class, () -> DeadLetterQuery.firstPage().withLimit(0));
    assertThrows(IllegalArgumentException.class, () -> DeadLetterQuery.firstPage().withOffset(-1));
  }

  @Test
  void destinationIdsThatAreNotSafeFileNamesAreRefused(Vertx vertx) {
    Exception e = assertThrows(Exception.class, () -> await(DeadLetterStore.open(vertx, dir, "../etc")));
    assertTrue(e.getMessage().contains("not usable as a file name"), e.getMessage());
  }

  private static List<String> ids(List<DeadLetter> letters) {
    return letters.stream().map(DeadLetter::messageId).toList();
  }

  @Test
  void retentionDropsTheOldestEntriesPastMaxBytesCountsThemAndKeepsTheReplayMarksOfTheRest(Vertx vertx) throws Exception {
    Instant t0 = Instant.now();
    int lineBytes = letter(0, "HTTP 400", t0).toJson().toBuffer().length() + 1;
    // Room for about 40 entries: the 100 appended in batches of ten leave at most that many.
    DeadLetterRetention retention = new DeadLetterRetention(40L * lineBytes, null);
    FileDeadLetterStore store = await(FileDeadLetterStore.open(vertx, dir, "amp", retention));
    for (int batch = 0; batch < 10; batch++) {
      List<DeadLetter> letters = new ArrayList<>();
      for (int i = 0; i < 10; i++) letters.add(letter(batch * 10 + i, "HTTP 400", t0));
      List<DeadLetter> stored = await(store.append(letters));
      await(store.markReplayed(List.of(new ReplayMark(stored.get(9).id(), "rp", ReplayMark.DELIVERED, null, 0, t0))));
    }
    assertTrue(Files.size(store.file()) <= retention.maxBytes() + 11L * lineBytes, "bounded: " + Files.size(store.file()));
    long kept = store.count();
    assertEquals(100, kept + store.dropped(), "every entry is either kept or counted as dropped");
    assertTrue(store.dropped() >= 60, "dropped " + store.dropped());
    List<DeadLetter> all = await(store.list(DeadLetterQuery.firstPage()));
    assertEquals(kept, all.size());
    assertEquals("m99", all.get(all.size() - 1).messageId(), "the newest stay");
    assertEquals(ReplayMark.DELIVERED, all.get(all.size() - 1).replay().outcome());
    await(store.close());

    FileDeadLetterStore reopened = await(FileDeadLetterStore.open(vertx, dir, "amp", retention));
    List<DeadLetter> again = await(reopened.list(DeadLetterQuery.firstPage()));
    assertEquals(all, again, "entries and their marks as before the restart");
    await(reopened.close());
  }

  @Test
  void retentionDropsEntriesOlderThanMaxAgeWhenTheStoreOpens(Vertx vertx) throws Exception {
    Instant now = Instant.now();
    DeadLetterStore store = await(DeadLetterStore.open(vertx, dir, "amp"));
    await(store.append(List.of(letter(1, "old", now.minus(java.time.Duration.ofDays(10))),
        letter(2, "new", now.minusSeconds(60)))));
    await(store.close());
    FileDeadLetterStore aged = await(FileDeadLetterStore.open(vertx, dir, "amp",
        new DeadLetterRetention(0, java.time.Duration.ofDays(7))));
    assertEquals(List.of("m2"), await(aged.list(DeadLetterQuery.firstPage())).stream().map(DeadLetter::messageId).toList());
    assertEquals(1, aged.dropped());
    await(aged.close());
  }
}
