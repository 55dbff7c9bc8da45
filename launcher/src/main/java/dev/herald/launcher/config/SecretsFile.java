package dev.herald.launcher.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A secrets file as Fluvio's {@code --secrets} reads it: {@code NAME=value} lines; blank lines
 * and lines starting with {@code #} are skipped. The value is everything after the first
 * {@code =}, kept as written. Errors name the line, never its value.
 */
public final class SecretsFile {

  static final long MAX_BYTES = 1024 * 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SecretsFile() {}

  /**
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming each bad line
   */
  public static Map<String, String> read(Path file) throws IOException {
    if (Files.size(file) > MAX_BYTES) throw new IllegalArgumentException(file + " is over 1 MB: not a secrets file");
    List<String> lines = Files.readAllLines(file);
    Map<String, String> out = new LinkedHashMap<>();
    StringBuilder problems = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
      int eq = line.indexOf('=');
      String name = eq < 0 ? "" : line.substring(0, eq).trim();
      if (!NAME.matcher(name).matches()) {
        problems.append(problems.isEmpty() ? "" : "; ").append(file).append(" line ").append(i + 1)
            .append(": must be NAME=value (NAME: letters, digits and '_')");
        continue;
      }
      out.put(name, line.substring(eq + 1));
    }
    if (!problems.isEmpty()) throw new IllegalArgumentException(problems.toString());
    return out;
  }
}
