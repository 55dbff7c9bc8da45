package dev.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resident memory of a process and all its descendants, read from {@code /proc}: Herald's launcher
 * may run the server as a child JVM, so the process the benchmark started is not the whole of it.
 */
final class ProcessTree {

  private ProcessTree() {}

  /** The sum of {@code VmRSS} (now) over the process and its descendants, in KB; 0 once it is gone. */
  static long rssKb(ProcessHandle root) {
    return sum(root, "VmRSS:");
  }

  /** The sum of {@code VmHWM} (each process's own peak) over the tree, in KB: an upper bound of the tree's peak. */
  static long peakKb(ProcessHandle root) {
    return sum(root, "VmHWM:");
  }

  private static long sum(ProcessHandle root, String field) {
    List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
    long total = 0;
    for (ProcessHandle process : tree) {
      total += statusKb(process.pid(), field);
    }
    return total;
  }

  private static long statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) return Long.parseLong(line.replaceAll("\\D", ""));
      }
    } catch (IOException | RuntimeException gone) {
      // the process ended between listing and reading: it holds no memory any more
    }
    return 0;
  }
}
