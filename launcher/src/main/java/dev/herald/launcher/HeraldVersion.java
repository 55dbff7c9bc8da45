package dev.herald.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Herald's version, written into the build by Maven resource filtering. */
public final class HeraldVersion {

  private static final String VERSION = read();

  private HeraldVersion() {}

  /** The full version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return VERSION;
  }

  /**
   * The version plugins' {@code Plugin-Requires} is checked against: the release part only,
   * since a SemVer pre-release ({@code 0.1.0-SNAPSHOT}) sorts below {@code >=0.1.0}.
   */
  public static String pluginSystemVersion() {
    int dash = VERSION.indexOf('-');
    return dash < 0 ? VERSION : VERSION.substring(0, dash);
  }

  private static String read() {
    try (InputStream in = HeraldVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) return "0.0.0";
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "0.0.0");
      return v.startsWith("${") ? "0.0.0" : v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
