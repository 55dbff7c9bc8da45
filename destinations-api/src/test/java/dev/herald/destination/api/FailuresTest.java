package dev.herald.destination.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The short reason a plugin gives when a request got no answer. */
class FailuresTest {

  @Test
  void timeoutsNameTheTimeoutAndNothingOfTheRequest() {
    assertEquals("no answer within 10000 ms",
        Failures.describe(new TimeoutException("The timeout of 10000 ms has been exceeded for GET /k?api_key=SECRET"), 10_000));
    assertEquals("no answer within 250 ms", Failures.describe(new ConnectTimeoutException("connection timed out: SECRET"), 250));
  }

  @Test
  void refusedConnectionsAndUnknownHostsAreNamedFromTheirCause() {
    assertEquals("connection failed (ConnectException)",
        Failures.describe(new IOException("wrapped", new ConnectException("Connection refused: SECRET")), 1));
    assertEquals("unknown host", Failures.describe(new UnknownHostException("SECRET.example"), 1));
  }

  @Test
  void aConnectionResetOrClosedByTheServerIsAFailedConnection() {
    assertEquals("connection failed (SocketException)",
        Failures.describe(new java.net.SocketException("Connection reset: SECRET"), 1));
    assertEquals("connection failed (HttpClosedException)",
        Failures.describe(new io.vertx.core.http.HttpClosedException("Connection was closed"), 1));
  }

  @Test
  void anythingElseIsNamedByItsTypeOnly() {
    assertEquals("request failed (IllegalStateException)", Failures.describe(new IllegalStateException("SECRET"), 1));
    assertEquals("request failed (unknown)", Failures.describe(null, 1));
  }

  @Test
  void aCycleOfCausesEnds() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.initCause(b);
    assertEquals("request failed (Exception)", Failures.describe(a, 1));
  }
}
