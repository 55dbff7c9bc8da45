package dev.herald.launcher.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.Cli;
import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SupervisorTest {

  @Test
  void aJvmStartedWithDashJarStartsItsServerWithTheSameJarAndArguments() {
    List<String> command = Supervisor.command("/jdk/bin/java", List.of("-Xmx256m", "-Dapp=1"), 42, "lib/herald.jar",
        "lib/herald.jar --config herald.yaml", "dev.herald.launcher.Main", new String[] {"--config", "herald.yaml"});
    assertEquals(List.of("/jdk/bin/java", "-Xmx256m", "-Dapp=1", "-Dherald.supervisor=42", "-jar", "lib/herald.jar",
        "--config", "herald.yaml"), command);
  }

  @Test
  void aJvmStartedWithAClassPathStartsItsServerOnTheSameClassPath() {
    List<String> command = Supervisor.command("java", List.of("-Xmx256m"), 7, "a.jar:b.jar",
        "dev.herald.launcher.Main", "dev.herald.launcher.Main", new String[0]);
    assertEquals(List.of("java", "-Xmx256m", "-Dherald.supervisor=7", "-cp", "a.jar:b.jar", "dev.herald.launcher.Main"),
        command);
  }

  @Test
  void onlyTheServerCommandsRelaunch() {
    assertTrue(Cli.runsServer(new String[0]));
    assertTrue(Cli.runsServer(new String[] {"--config", "herald.yaml", "--connector", "c.yaml"}));
    assertTrue(Cli.runsServer(new String[] {"--config", "validate"}), "a config file may be called validate");
    for (String[] quick : List.of(new String[] {"validate", "--config", "h.yaml"}, new String[] {"--version"},
        new String[] {"--help"}, new String[] {"transform", "--destination", "d", "--recent", "5"},
        new String[] {"dead-letters", "list", "--destination", "d"}, new String[] {"reload"},
        new String[] {"trace", "m-1"}, new String[] {"tap"}, new String[] {"--no-such-option"})) {
      assertFalse(Cli.runsServer(quick), String.join(" ", quick));
    }
  }

  @Test
  void theLinkReloadsOnEachReloadLineAndStopsAtTheEndOfInput() throws Exception {
    PipedOutputStream supervisor = new PipedOutputStream();
    PipedInputStream child = new PipedInputStream(supervisor);
    AtomicInteger reloads = new AtomicInteger();
    AtomicInteger reloadsAtStop = new AtomicInteger(-1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread watcher = SupervisorLink.watch(child, reloads::incrementAndGet, () -> {
      reloadsAtStop.set(reloads.get());
      stopped.countDown();
    });
    supervisor.write("reload\nsomething else\nreload\n".getBytes(StandardCharsets.US_ASCII));
    supervisor.flush();
    assertEquals(1, stopped.getCount(), "an open link does not stop Herald");
    supervisor.close();
    assertTrue(stopped.await(30, TimeUnit.SECONDS), "the end of the link stops Herald");
    watcher.join(30_000);
    assertEquals(2, reloadsAtStop.get(), "both reloads came before the stop");
  }

  @Test
  void anEmptyLinkStopsRightAway() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    SupervisorLink.watch(new ByteArrayInputStream(new byte[0]), () -> { }, stopped::countDown);
    assertTrue(stopped.await(30, TimeUnit.SECONDS));
  }
}
