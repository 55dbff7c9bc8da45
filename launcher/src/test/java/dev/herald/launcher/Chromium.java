package dev.herald.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its own chromedriver (the approach of ingest's SDK matrix):
 * installed with apt-get when missing and running as root, else the test fails with one line
 * naming the packages. Never skipped. With the driver's path given, Selenium Manager (which would
 * go to the internet) does not run.
 */
final class Chromium implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver browser;
  private final ChromeDriverService service;

  private Chromium(ChromeDriverService service, ChromeDriver browser) {
    this.service = service;
    this.browser = browser;
  }

  static Chromium start(Path work, int width, int height) throws Exception {
    install(work);
    Path profile = Files.createTempDirectory(work, "chromium-profile-");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().withLogFile(work.resolve("chromedriver.log").toFile()).build();
    ChromeOptions options = new ChromeOptions().setBinary(new File(BINARY.toString()));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
    ChromeDriver browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(60));
    return new Chromium(service, browser);
  }

  private static synchronized void install(Path work) throws Exception {
    if (Files.isExecutable(BINARY) && Files.isExecutable(DRIVER)) return;
    if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) {
      throw new IllegalStateException("the status page test needs Debian's packages chromium and chromium-driver "
          + "(apt-get install -y chromium chromium-driver)");
    }
    run(work, "apt-get", "update", "-q");
    run(work, "apt-get", "install", "-y", "-q", "chromium", "chromium-driver");
    if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException("apt-get installed chromium and chromium-driver but " + BINARY + " or " + DRIVER
          + " is missing");
    }
  }

  private static void run(Path work, String... command) throws Exception {
    Path output = Files.createTempFile(work, command[0] + "-", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " took over 10 minutes; see " + output);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "); see " + output);
    }
  }

  @Override
  public void close() {
    browser.quit();
    service.stop();
  }
}
