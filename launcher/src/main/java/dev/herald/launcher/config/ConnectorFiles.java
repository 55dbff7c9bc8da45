package dev.herald.launcher.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fluvio connector files ({@code --connector FILE}, {@code connectors: [FILE]}) added to a
 * config as destinations. A file's problems are named by the file and the key
 * ({@code amplitude.yaml: meta.type: …}) and listed with the config's own.
 */
public final class ConnectorFiles {

  /** Larger than any connector file; the bound keeps a wrong path (a log, a dump) from being read whole. */
  static final long MAX_FILE_BYTES = 1024 * 1024;

  private ConnectorFiles() {}

  /** {@code loaded} with the destinations of {@code files} appended and their problems added. */
  public static LoadedConfig addTo(LoadedConfig loaded, List<Path> files, Secrets secrets) {
    if (files.isEmpty()) return loaded;
    Problems problems = new Problems();
    HeraldConfig c = loaded.config();
    List<DestinationConfig> destinations = read(files.stream().map(Path::toString).toList(), Path.of(""), secrets,
        c.destinations(), problems);
    List<ConfigProblem> all = new ArrayList<>(loaded.problems());
    all.addAll(problems.list());
    return new LoadedConfig(new HeraldConfig(c.server(), c.admin(), c.ingest(), c.sources(), c.log(), c.plugins(),
        destinations), all);
  }

  /**
   * {@code existing} followed by the destinations of {@code files} (resolved against {@code base}
   * when relative); problems go to {@code problems}.
   */
  static List<DestinationConfig> read(List<String> files, Path base, Secrets secrets, List<DestinationConfig> existing,
      Problems problems) {
    List<DestinationConfig> out = new ArrayList<>(existing);
    Set<String> ids = new HashSet<>();
    existing.forEach(d -> ids.add(d.id()));
    for (String name : files) {
      Problems own = new Problems();
      DestinationConfig d = load(base.resolve(name), name, secrets, own);
      own.list().forEach(p -> problems.add(p.path().isEmpty() ? name : name + ": " + p.path(), p.message()));
      if (d == null) continue;
      if (!ids.add(d.id())) {
        problems.add(name + ": meta.name", "duplicate destination id '" + d.id() + "' (a destination or another "
            + "connector has it)");
        continue;
      }
      out.add(d);
    }
    return out;
  }

  private static DestinationConfig load(Path file, String name, Secrets secrets, Problems problems) {
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        problems.add("", "is over " + MAX_FILE_BYTES / 1024 + " KB: not a connector file");
        return null;
      }
      text = Files.readString(file);
    } catch (IOException e) {
      problems.add("", e instanceof NoSuchFileException ? "no such file (" + file.toAbsolutePath() + ")"
          : "cannot read " + file + ": " + e.getMessage());
      return null;
    }
    return FluvioConnector.parse(text, name, secrets, problems);
  }
}
