package dev.herald.destination.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SendResultTest {

  @Test
  void theOriginalConstructorsAndFactoriesMeanNoThrottleAndNoSetupError() {
    assertFalse(new SendResult.Retry("busy", null, 503).keyThrottled());
    assertFalse(assertInstanceOf(SendResult.Retry.class, SendResult.retry("busy", Duration.ofSeconds(1))).keyThrottled());
    assertFalse(new SendResult.Rejected("bad", 400, "x").setupError());
    assertFalse(assertInstanceOf(SendResult.Rejected.class, SendResult.rejected("bad", 400, "x")).setupError());
  }

  @Test
  void aKeyThrottleIsARetryThatCarriesItsHold() {
    SendResult.Retry retry = assertInstanceOf(SendResult.Retry.class,
        SendResult.throttled("user throttled", Duration.ofSeconds(30), 429));
    assertTrue(retry.keyThrottled());
    assertEquals(Duration.ofSeconds(30), retry.retryAfter());
    assertEquals(429, retry.status());
    assertThrows(NullPointerException.class, () -> SendResult.throttled("x", null, 429));
    assertThrows(IllegalArgumentException.class, () -> new SendResult.Retry("x", null, 429, true));
  }

  @Test
  void aSetupErrorIsARejection() {
    SendResult.Rejected rejected = assertInstanceOf(SendResult.Rejected.class,
        SendResult.setupError("invalid API key", 400, "{}"));
    assertTrue(rejected.setupError());
    assertEquals("invalid API key", rejected.reason());
  }
}
