package dev.herald.launcher;

import static dev.herald.launcher.Polling.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real browser (Debian's headless Chromium) against a running Herald: it asks
 * for the admin token, its numbers match {@code /admin/destinations} after events are sent, its
 * buttons pause, resume and replay a dead letter, the trace box finds an event, the live tap shows
 * one; a screenshot lands in {@code target/status-page.png}.
 */
@ExtendWith(VertxExtension.class)
class StatusPageBrowserTest {

  private static final Path WORK = Path.of("target", "status-page").toAbsolutePath();
  private static Chromium chromium;

  @TempDir Path dir;
  private OperatorHarness herald;
  private OperatorHarness.Target target;

  @BeforeAll
  static void startBrowser() throws Exception {
    Files.createDirectories(WORK);
    chromium = Chromium.start(WORK, 1440, 1000);
  }

  @AfterAll
  static void stopBrowser() {
    if (chromium != null) chromium.close();
  }

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    PluginJars.copyInto(dir.resolve("plugins"));
    herald = new OperatorHarness(vertx, dir);
    target = await(OperatorHarness.Target.start(vertx));
    herald.start("shop", target, "{ type: embedded, dir: \"" + dir.resolve("data") + "\" }");
  }

  @AfterEach
  void tearDown() {
    herald.stop();
    await(target.server.close());
  }

  /** Polls the page (elements it re-draws may go stale between two looks) until {@code check} holds. */
  private static <T> T until(Function<WebDriver, T> check, String what) {
    return new WebDriverWait(chromium.browser, Duration.ofSeconds(60), Duration.ofMillis(100))
        .ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class)
        .withMessage(what).until(check);
  }

  /** The element's visible text, read in one script (the page re-draws its tables), or "" when absent. */
  private static String text(String css) {
    Object text = chromium.browser.executeScript(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css);
    return String.valueOf(text);
  }

  private static void click(String css) {
    until(d -> {
      d.findElement(By.cssSelector(css)).click();
      return true;
    }, "could not click " + css);
  }

  private JsonObject shop() {
    return herald.status("shop");
  }

  @Test
  void anOperatorFollowsEventsOnThePageAndActsOnThem() throws Exception {
    WebDriver page = chromium.browser;
    page.get("http://127.0.0.1:" + herald.herald.adminPort() + "/?refresh=500");
    until(d -> d.findElement(By.id("token-dialog")).isDisplayed(), "the page never asked for the token");
    page.findElement(By.id("token-input")).sendKeys(OperatorHarness.ADMIN_TOKEN);
    page.findElement(By.cssSelector("#token-form button")).click();
    until(d -> !d.findElements(By.cssSelector("tr[data-destination=shop]")).isEmpty(), "no row for shop");

    herald.send(List.of("good-1", "good-2", "good-3"), false);
    herald.send(List.of("bad-1"), true);
    Polling.until(Polling.STEP, () -> shop().getLong("delivered") == 3 && shop().getLong("deadLettersStored") == 1
        && shop().getLong("lag") == 0, () -> "not settled: " + shop());
    JsonObject api = shop();
    until(d -> text("tr[data-destination=shop] .delivered").equals(String.valueOf(api.getLong("delivered")))
        && text("tr[data-destination=shop] .dead-letter-count").equals(String.valueOf(api.getLong("deadLettersStored")))
        && String.valueOf(chromium.browser.executeScript(
            "return document.querySelector('tr[data-destination=shop] .lag').dataset.lag")).equals(String.valueOf(api.getLong("lag"))),
        "the page's numbers never matched " + api);
    assertEquals(api.getString("state").toLowerCase(), text("tr[data-destination=shop] .state"));
    assertTrue(text("tr[data-destination=shop] .last-error").contains("400"), text("tr[data-destination=shop] .last-error"));
    JsonArray sources = herald.adminJson(HttpMethod.GET, "/admin/ingest", null, 200).getJsonArray("sources");
    assertEquals(4, sources.getJsonObject(0).getLong("accepted"));
    until(d -> text("tr[data-source=backend] .accepted").equals("4"), "the source's accepted count never showed 4");

    // The charts read the admin API's rate history (a 5 s sample of the same counters).
    Polling.until(Polling.STEP, () -> herald.adminJson(HttpMethod.GET, "/admin/rates", null, 200).getJsonObject("rates")
        .containsKey("destination:shop:delivered"), () -> "no delivered rates for shop");
    until(d -> !d.findElements(By.cssSelector("tr[data-destination=shop] svg.spark polyline")).isEmpty(), "no chart for shop");

    // The trace box finds an event.
    page.findElement(By.id("trace-input")).sendKeys("good-2");
    click("#trace-button");
    until(d -> text("[data-trace-destination=shop]").startsWith("delivered"), "the trace never showed good-2 delivered");
    assertTrue(text(".trace-accepted").contains("from backend, topic analytics (track)"), text(".trace-accepted"));

    // The dead letter's list, then its replay with the button once the destination is fixed.
    click("tr[data-destination=shop] .dead-letter-count");
    until(d -> text("#dead-letter-list tbody").contains("bad-1"), "the dead-letter list never showed bad-1");
    target.rejectBad.set(false);
    click("tr[data-destination=shop] .replay");
    Polling.until(Polling.STEP, () -> target.arrivals("bad-1") == 1, () -> "bad-1 never replayed");
    until(d -> text("#action-result").contains("replay"), "the page never said the replay started");

    // Pause and resume with the buttons.
    click("tr[data-destination=shop] .pause");
    Polling.until(Polling.STEP, () -> shop().getBoolean("paused"), () -> "never paused: " + shop());
    until(d -> text("tr[data-destination=shop] .state").equals("paused")
        && !d.findElements(By.cssSelector("tr[data-destination=shop] .resume")).isEmpty(), "the page never showed the pause");
    click("tr[data-destination=shop] .resume");
    Polling.until(Polling.STEP, () -> !shop().getBoolean("paused"), () -> "never resumed: " + shop());
    until(d -> text("tr[data-destination=shop] .state").equals("running"), "the page never showed running again");

    // The live tap panel shows an event as it is accepted.
    page.findElement(By.cssSelector("#tap-form input[name=event]")).sendKeys("Order*");
    click("#tap-start");
    until(d -> text("#tap-status").startsWith("listening"), "the tap never started");
    int[] sent = {0};
    until(d -> {
      herald.send(List.of("tapped-" + sent[0]++), false); // until the tap's listener is registered
      return !d.findElements(By.cssSelector("#tap-events li")).isEmpty();
    }, "the tap panel never showed an event");
    page.findElement(By.id("trace-input")).clear();
    page.findElement(By.id("trace-input")).sendKeys("tapped-0");
    click("#trace-button");
    until(d -> text("[data-trace-destination=shop]").startsWith("delivered"), "the trace never showed tapped-0 delivered");

    byte[] png = chromium.browser.getScreenshotAs(OutputType.BYTES);
    Path shot = Files.write(Path.of("target", "status-page.png"), png);
    assertTrue(Files.size(shot) > 10_000, "the screenshot is suspiciously small");
    Files.copy(shot, WORK.resolve("status-page.png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
