package dev.herald.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Installs what the SDK matrix runs: the SDKs pinned in {@code src/test/sdk/package-lock.json}
 * ({@code npm ci} into {@code target/sdk-matrix}, again only when the lock file changes) and
 * Debian's Chromium with its driver (installed with apt-get when missing and running as root).
 * Anything that cannot be had fails the test with one line naming it; nothing is skipped.
 */
final class SdkTools {

  static final Path SOURCES = Path.of("src", "test", "sdk").toAbsolutePath();
  static final Path WORK = Path.of("target", "sdk-matrix").toAbsolutePath();
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String STAMP = ".herald-lock-sha256";

  private static boolean installed;

  private SdkTools() {}

  /** The matrix's directory, with the scripts and pages copied and the SDKs installed. */
  static synchronized Path sdks() throws Exception {
    if (installed) {
      return WORK;
    }
    Files.createDirectories(WORK);
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = WORK.resolve(SOURCES.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    String lock = sha256(WORK.resolve("package-lock.json"));
    Path stamp = WORK.resolve("node_modules").resolve(STAMP);
    if (!Files.exists(stamp) || !Files.readString(stamp).equals(lock)) {
      require("node", "--version");
      require("npm", "--version");
      run(WORK, TimeUnit.MINUTES.toSeconds(5), "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
      Files.writeString(stamp, lock);
    }
    installed = true;
    return WORK;
  }

  /** Makes sure Debian's chromium and chromium-driver are there, installing them as root. */
  static synchronized void chromium() throws Exception {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    if (new com.sun.security.auth.module.UnixSystem().getUid() != 0) {
      throw new IllegalStateException("the SDK matrix needs Debian's packages chromium and chromium-driver "
          + "(apt-get install -y chromium chromium-driver)");
    }
    run(WORK, TimeUnit.MINUTES.toSeconds(5), "apt-get", "update", "-q");
    run(WORK, TimeUnit.MINUTES.toSeconds(10), "apt-get", "install", "-y", "-q", "chromium", "chromium-driver");
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException("apt-get installed chromium and chromium-driver but "
          + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
    }
  }

  private static void require(String command, String versionFlag) {
    try {
      Process process = new ProcessBuilder(command, versionFlag).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
        return;
      }
    } catch (IOException | InterruptedException e) {
      // reported below
    }
    throw new IllegalStateException("the SDK matrix needs '" + command + "' on the PATH (Debian packages nodejs and npm)");
  }

  /** Runs a command to completion within the deadline; its output goes to target/sdk-matrix/*.log. */
  static String run(Path dir, long timeoutSeconds, String... command) throws Exception {
    Path output = Files.createTempFile(WORK, command[0] + "-", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeoutSeconds
          + " s; output in " + output);
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
          + tail(text));
    }
    return text;
  }

  static String tail(String text) {
    return text.length() <= 2000 ? text : "…" + text.substring(text.length() - 2000);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /** The last line of a process's output, where the SDK scripts print their report. */
  static String lastLine(String output) {
    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
