package dev.herald.launcher.plugins;

import dev.herald.destination.api.DestinationFactory;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.pf4j.ExtensionPoint;
import org.slf4j.Logger;

/**
 * Builds a real PF4J plugin JAR at test time: one compiled {@code DestinationFactory}, a
 * manifest and {@code extensions.idx}, plus stray copies of host classes (Vertx,
 * DestinationFactory) that a careless plugin might bundle, so the tests can prove the host's
 * copies win.
 */
public final class TestPlugins {

  private TestPlugins() {}

  public static Path build(Path dir, String pluginId, String type, String requires) throws IOException {
    String pkg = "acme." + pluginId.replace('-', '_');
    String source = """
        package %s;
        import dev.herald.destination.api.*;
        import io.vertx.core.Future;
        @org.pf4j.Extension
        public class Factory implements DestinationFactory {
          public String type() { return "%s"; }
          public ConfigSpec configSpec() {
            return ConfigSpec.builder().required("url", ConfigSpec.Type.STRING, "where to send")
                .optional("timeoutMs", ConfigSpec.Type.INT, 5000, "request timeout").build();
          }
          public Destination create(DestinationContext context) {
            return batch -> Future.succeededFuture(SendResult.delivered());
          }
        }
        """.formatted(pkg, type);
    Path work = Files.createTempDirectory("herald-test-plugin-" + pluginId);
    Path src = work.resolve("Factory.java");
    Files.writeString(src, source);
    Path classes = Files.createDirectories(work.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classpath = String.join(java.io.File.pathSeparator, List.of(location(DestinationFactory.class),
        location(Vertx.class), location(ExtensionPoint.class), location(WebClient.class), location(Logger.class)));
    int rc = javac.run(null, null, null, "-proc:none", "-d", classes.toString(), "-cp", classpath, src.toString());
    if (rc != 0) throw new IllegalStateException("javac failed for test plugin " + pluginId);

    Manifest manifest = new Manifest();
    Attributes a = manifest.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Plugin-Id", pluginId);
    a.putValue("Plugin-Version", "1.0.0");
    a.putValue("Plugin-Requires", requires);
    a.putValue("Plugin-Provider", "Herald tests");
    Path jar = dir.resolve(pluginId + ".jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out, manifest)) {
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          add(zip, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
      }
      add(zip, "META-INF/extensions.idx", (pkg + ".Factory\n").getBytes());
      add(zip, "io/vertx/core/Vertx.class", hostClassBytes(Vertx.class));
      add(zip, "dev/herald/destination/api/DestinationFactory.class", hostClassBytes(DestinationFactory.class));
    }
    return jar;
  }

  private static void add(JarOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new JarEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  private static byte[] hostClassBytes(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
      return in.readAllBytes();
    }
  }

  private static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
