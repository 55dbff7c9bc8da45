package dev.herald.destination.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The endpoint check and safe description every HTTP plugin uses. */
class HttpEndpointTest {

  @Test
  void absoluteHttpAndHttpsUrlsWithAHostAreValid() {
    assertTrue(HttpEndpoint.isValid("http://127.0.0.1:8080/hook"));
    assertTrue(HttpEndpoint.isValid("HTTPS://example.com/a?key=1#x"));
    assertNull(HttpEndpoint.problem("https://api.eu.amplitude.com/", false));
  }

  @Test
  void eachKindOfBadUrlIsNamedWithoutQuotingIt() {
    assertEquals("it is empty", HttpEndpoint.problem(" ", true));
    assertEquals("it is not a valid URL", HttpEndpoint.problem("http://exa mple.com/SECRET", true));
    assertEquals("it has no scheme", HttpEndpoint.problem("example.com/SECRET", true));
    assertEquals("the scheme is ftp, not http or https", HttpEndpoint.problem("ftp://example.com/SECRET", true));
    assertEquals("it has no valid host", HttpEndpoint.problem("http:///SECRET", true));
    assertEquals("it has no valid host", HttpEndpoint.problem("http://host:port/SECRET", true));
    assertEquals("the port must be from 1 to 65535", HttpEndpoint.problem("http://example.com:0/SECRET", true));
    assertEquals("the port must be from 1 to 65535", HttpEndpoint.problem("http://example.com:70000/SECRET", true));
    assertEquals("it must have no query or fragment", HttpEndpoint.problem("https://example.com/?SECRET=1", false));
    assertNull(HttpEndpoint.problem("https://example.com/?SECRET=1", true));
    assertFalse(HttpEndpoint.isValid(null));
  }

  @Test
  void theTargetShowsSchemeHostAndPortButNoPathOrQuery() {
    assertEquals("https://hooks.example.com:8443", HttpEndpoint.target("https://hooks.example.com:8443/T0/SECRET?key=SECRET"));
    assertEquals("http://example.com", HttpEndpoint.target("http://user:SECRET@example.com/x"));
  }
}
