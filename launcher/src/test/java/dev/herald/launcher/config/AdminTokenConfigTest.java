package dev.herald.launcher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code admin.token} is required off loopback, may come from a secret, and is never printed. */
class AdminTokenConfigTest {

  private static LoadedConfig parse(String admin) {
    return new ConfigLoader(new Secrets(Map.of("ADMIN", "tok-from-secret")::get)).parse("""
        admin: %s
        sources: [{ id: web, writeKey: k }]
        """.formatted(admin), "herald.yaml");
  }

  @Test
  void aNonLoopbackHostWithoutATokenIsAProblemListedWithTheOthers() {
    LoadedConfig loaded = parse("{ host: 0.0.0.0, port: nope }");
    List<String> paths = loaded.problems().stream().map(ConfigProblem::path).toList();
    assertEquals(List.of("admin.port", "admin.token"), paths.stream().sorted().toList(), loaded.problems().toString());
    assertTrue(loaded.problems().toString().contains("not a loopback address"));
  }

  @Test
  void aNonLoopbackHostWithATokenFromASecretIsFineAndTheTokenIsNeverPrinted() {
    LoadedConfig loaded = parse("{ host: 10.0.0.5, token: \"${{ secrets.ADMIN }}\" }");
    assertEquals(List.of(), loaded.problems());
    assertEquals("tok-from-secret", loaded.config().admin().token());
    assertFalse(loaded.config().toString().contains("tok-from-secret"));
  }

  @Test
  void aMissingTokenSecretIsOneProblemNotTwo() {
    LoadedConfig loaded = parse("{ host: 0.0.0.0, token: \"${{ secrets.NOT_SET }}\" }");
    assertEquals(1, loaded.problems().size(), loaded.problems().toString());
    assertTrue(loaded.problems().get(0).toString().contains("NOT_SET"));
  }

  @Test
  void loopbackHostsNeedNoToken() {
    for (String host : List.of("127.0.0.1", "127.1.2.3", "localhost", "::1", "\"[::1]\"")) {
      assertEquals(List.of(), parse("{ host: " + (host.startsWith("\"") ? host : "\"" + host + "\"") + " }").problems(), host);
    }
    for (String host : List.of("0.0.0.0", "::", "10.0.0.5", "admin.internal", "128.0.0.1", "127.0.0.1.example.com")) {
      assertFalse(AdminConfig.loopback(host), host);
    }
  }
}
