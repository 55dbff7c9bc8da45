package dev.herald.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Appends one JSON line per benchmark run to {@code bench/results/<name>.jsonl}, stamped with the
 * time, the commit and the CPU count, so runs can be compared later without re-reading console
 * output. The files are local (git-ignored): figures only mean something beside the machine they
 * came from.
 */
final class ResultsLog {

  private ResultsLog() {}

  /** A line holding {@code time}, {@code commit} and {@code cpus}, for the caller to add its figures to. */
  static JsonObject header(Path root) {
    return new JsonObject()
        .put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("commit", commit(root))
        .put("cpus", Runtime.getRuntime().availableProcessors());
  }

  /** Appends {@code line} to {@code bench/results/<name>.jsonl} and returns the file. */
  static Path append(Path root, String name, JsonObject line) throws IOException {
    Path file = Files.createDirectories(root.resolve("bench/results")).resolve(name + ".jsonl");
    Files.writeString(file, line.encode() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    return file;
  }

  private static String commit(Path root) {
    try {
      Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(root.toFile())
          .redirectErrorStream(true).start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!git.waitFor(10, TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return "unknown";
      }
      return git.exitValue() == 0 && !out.isEmpty() ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
