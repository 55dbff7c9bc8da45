package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import io.vertx.core.json.JsonArray;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The SDK matrix's browser side: Segment's {@code @segment/analytics-next} and RudderStack's
 * {@code @rudderstack/analytics-js} v3, as pinned in src/test/sdk/package-lock.json, run unchanged
 * in Debian's headless Chromium on a page of another origin, against this Herald. Each SDK sends
 * every event type it has, one request per event, in its batching mode, and on page exit
 * (analytics-next's fetch keepalive flush, RudderStack's sendBeacon); each event arrives exactly once.
 */
class BrowserSdkTest extends IngestTestBase {

  private static final int CALLS_PER_MODE = 30;
  private static SdkPageServer pages;
  private static ChromeDriverService service;
  private static ChromeDriver browser;
  private static Path profile;

  @BeforeAll
  static void startBrowser() throws Exception {
    Path dir = SdkTools.sdks();
    SdkTools.chromium();
    pages = new SdkPageServer(dir);
    profile = Files.createTempDirectory(SdkTools.WORK, "chromium-profile-");
    service = new ChromeDriverService.Builder().usingDriverExecutable(SdkTools.CHROMEDRIVER.toFile())
        .usingAnyFreePort().withLogFile(dir.resolve("chromedriver.log").toFile()).build();
    ChromeOptions options = new ChromeOptions().setBinary(new File(SdkTools.CHROMIUM.toString()));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile);
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
        .scriptTimeout(Duration.ofSeconds(TIMEOUT_SECONDS));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (pages != null) {
      pages.close();
    }
  }

  @Override
  IngestOptions options() {
    return super.options().withCorsOrigins(List.of(pages.origin()));
  }

  /** Loads the SDK's page in {@code mode}, makes the calls, and waits until the SDK has taken them all. */
  private List<String> runPage(String page, String mode, JsonArray calls) throws Exception {
    pages.calls(calls.encode());
    browser.get(pages.origin() + "/" + page + "?herald=127.0.0.1:" + port + "&writeKey=" + WEB_KEY + "&mode=" + mode);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    Map<?, ?> state = harness();
    while (!Boolean.TRUE.equals(state.get("done")) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
      state = harness();
    }
    assertEquals(List.of(), state.get("errors"), page + " " + mode);
    assertEquals(true, state.get("done"), page + " " + mode + " did not finish: " + state);
    List<String> ids = new ArrayList<>();
    for (Object id : (List<?>) state.get("messageIds")) {
      ids.add(String.valueOf(id));
    }
    assertEquals(calls.size(), ids.size(), "the SDK took every call");
    return ids;
  }

  private Map<?, ?> harness() {
    Object state = ((JavascriptExecutor) browser).executeScript("return window.__herald || {}");
    return (Map<?, ?>) state;
  }

  /**
   * Leaves the page, which makes the SDK flush what it holds, and returns the page-exit requests
   * the SDK made (recorded by the harness's spy on sendBeacon and fetch keepalive).
   */
  private List<String> leavePage() {
    ((JavascriptExecutor) browser).executeScript("sessionStorage.removeItem('herald-exit')");
    browser.get(pages.origin() + "/blank.html");
    Object seen = ((JavascriptExecutor) browser).executeScript(
        "return JSON.parse(sessionStorage.getItem('herald-exit') || '[]')");
    List<String> requests = new ArrayList<>();
    for (Object request : (List<?>) seen) {
      requests.add(String.valueOf(request));
    }
    return requests;
  }

  private void assertArrived(String label, JsonArray calls, List<String> sdkMessageIds, int expectedTotal)
      throws Exception {
    List<LogEntry> entries = awaitLogSize(expectedTotal);
    assertEquals(List.of(), SdkCalls.problems(calls, entries, false), label);
    assertEquals(new HashSet<>(sdkMessageIds), SdkCalls.messageIds(calls, entries), label + ": the SDK's messageIds");
    assertEquals(expectedTotal, entries.size(), label + ": no other event arrived");
  }

  @Test
  void segmentsAnalyticsNextDeliversEveryCallOnceAlsoOnPageExit() throws Exception {
    JsonArray single = SdkCalls.of("next", 0, CALLS_PER_MODE, SdkCalls.ALL_TYPES);
    List<String> ids = runPage("segment-next.html", "standard", single);
    assertArrived("one request per event", single, ids, single.size());

    JsonArray held = SdkCalls.of("next", 1000, CALLS_PER_MODE, SdkCalls.ALL_TYPES);
    List<String> heldIds = runPage("segment-next.html", "batching", held);
    assertEquals(single.size(), readLog().size(), "batching holds the events while the page is open");
    List<String> exits = leavePage();
    assertTrue(exits.stream().anyMatch(r -> r.startsWith("fetch-keepalive http://127.0.0.1:" + port + "/v1/b")),
        () -> "page exit flushed with fetch keepalive to /v1/b: " + exits);
    assertArrived("batches flushed on page exit", held, heldIds, single.size() + held.size());
  }

  @Test
  void rudderStacksAnalyticsJsV3DeliversEveryCallOnceAlsoByBeacon() throws Exception {
    List<String> types = List.of("track", "identify", "page", "group", "alias"); // it has no screen call
    int total = 0;
    for (String mode : List.of("xhr", "batch", "beacon")) {
      JsonArray calls = SdkCalls.of("rudder-" + mode, total, CALLS_PER_MODE, types);
      List<String> ids = runPage("rudderstack-v3.html", mode, calls);
      if (mode.equals("beacon")) {
        assertEquals(total, readLog().size(), "the beacon queue holds the events while the page is open");
        String beaconUrl = "sendBeacon http://127.0.0.1:" + port + "/beacon/v1/batch?writeKey=" + WEB_KEY;
        List<String> exits = leavePage();
        assertTrue(exits.stream().anyMatch(r -> r.equals(beaconUrl)), () -> "page exit sent " + beaconUrl + ": " + exits);
      }
      total += calls.size();
      assertArrived(mode, calls, ids, total);
    }
    Set<String> channels = new HashSet<>();
    for (LogEntry entry : readLog()) {
      channels.add(entry.event().payload().getString("channel"));
    }
    assertEquals(Set.of("web"), channels);
  }
}
