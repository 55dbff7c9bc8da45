package dev.herald.ingest;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for 127.0.0.1 and localhost as PEM files, made with the JDK's keytool. */
record SelfSignedPem(Path certFile, Path keyFile, String certPem) {

  static SelfSignedPem create(Path dir, String name) throws Exception {
    Path store = dir.resolve(name + ".p12");
    Files.deleteIfExists(store);
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "herald", "-keyalg", "RSA",
        "-keysize", "2048", "-validity", "2", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit"))
        .redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
    }
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, "changeit".toCharArray());
    }
    String cert = pem("CERTIFICATE", keyStore.getCertificate("herald").getEncoded());
    String key = pem("PRIVATE KEY", keyStore.getKey("herald", "changeit".toCharArray()).getEncoded());
    Path certFile = Files.writeString(dir.resolve(name + "-cert.pem"), cert);
    Path keyFile = Files.writeString(dir.resolve(name + "-key.pem"), key);
    return new SelfSignedPem(certFile, keyFile, cert);
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  TlsOptions options() {
    return new TlsOptions(certFile, keyFile);
  }
}
