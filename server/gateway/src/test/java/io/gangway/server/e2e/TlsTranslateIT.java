package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gangway translate} and {@code gangway validate} with TLS, run as processes the way an
 * operator runs them: secrets are printed with the private key redacted, certificate files of
 * {@code gangway.yaml} join the Secrets of the route files, and every problem is one line naming
 * the field, never quoting key material.
 */
class TlsTranslateIT {

  private static final Path FIXTURES =
      Path.of("../ingress/src/test/resources/tls").toAbsolutePath().normalize();

  @TempDir Path home;

  private record Result(int status, String out, String err) {}

  @BeforeEach
  void layout() throws IOException {
    Files.createDirectories(home.resolve("conf/routes"));
    Files.createDirectories(home.resolve("conf/certs"));
    for (String f :
        List.of(
            "test-a.crt",
            "test-a.key",
            "test-b.key",
            "test-default.crt",
            "test-default.key",
            "test-wildcard.crt",
            "test-wildcard.key")) {
      Files.copy(FIXTURES.resolve(f), home.resolve("conf/certs").resolve(f));
    }
    Files.writeString(
        home.resolve("conf/routes/site.yaml"),
        """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: a, domain: "127.0.0.1:8001", port: 80}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: a-tls}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
        %s
          tls.key: |
        %s
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: site
          annotations: {nginx.ingress.kubernetes.io/ssl-redirect: "true"}
        spec:
          tls:
            - {hosts: [a.example.com], secretName: a-tls}
          rules:
            - host: a.example.com
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}
        """
            .formatted(indent(fixture("test-a.crt")), indent(fixture("test-a.key"))));
  }

  @Test
  void translate_printsSecretsRedacted_withFileCertificatesJoined() throws Exception {
    conf(
        """
        gateway:
          listeners: [{port: 8080}]
          tls:
            listeners: [{port: 8443}]
            defaultCertificate: {cert: certs/test-default.crt, key: certs/test-default.key}
            certificates:
              - {hosts: ["*.example.com"], cert: certs/test-wildcard.crt, key: certs/test-wildcard.key}
        """);
    Result r =
        run(
            "translate",
            "--conf",
            home.resolve("conf/gangway.yaml").toString(),
            home.resolve("conf/routes").toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains(
            "# secrets",
            "name: secret:default/a-tls",
            "name: file:certs/test-default.crt",
            "name: file:certs/test-wildcard.crt",
            "inlineString: '[redacted]'",
            "-----BEGIN CERTIFICATE-----",
            "name: https.8443",
            "- '*.example.com'",
            "- a.example.com",
            "portRedirect: 8443",
            "envoy.filters.listener.tls_inspector");
    assertNoKeys(r.out() + r.err());

    Result json =
        run(
            "translate",
            "-o",
            "json",
            "--conf",
            home.resolve("conf/gangway.yaml").toString(),
            home.resolve("conf/routes").toString());
    assertThat(json.out()).contains("{\"secrets\": [", "\"inlineString\": \"[redacted]\"");
    assertNoKeys(json.out());
  }

  @Test
  void translate_badCertificateFile_isOneLineNamingTheField() throws Exception {
    conf(
        """
        gateway:
          tls:
            listeners: [{port: 8443}]
            defaultCertificate: {cert: certs/test-a.crt, key: certs/test-b.key}
            certificates:
              - {hosts: [c.example.com], cert: certs/test-a.crt, key: certs/missing.key}
        """);
    Result r =
        run(
            "translate",
            "-o",
            "none",
            "--conf",
            home.resolve("conf/gangway.yaml").toString(),
            home.resolve("conf/routes").toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "error: "
                + home.resolve("conf/certs/test-b.key")
                + ": the private key does not belong"
                + " to the certificate")
        .contains(
            "there is no default certificate until this is fixed (at"
                + " gateway.tls.defaultCertificate.key)");
    assertThat(r.err())
        .contains(
            home.resolve("conf/certs/missing.key")
                + " does not exist; no certificate is served"
                + " for [c.example.com] until this is fixed (at gateway.tls.certificates[0])");
    assertNoKeys(r.err());
  }

  @Test
  void validate_badSecret_namesTheFieldWithoutQuotingIt() throws Exception {
    String key = fixture("test-b.key");
    Files.writeString(
        home.resolve("conf/routes/site.yaml"),
        Files.readString(home.resolve("conf/routes/site.yaml"))
            .replace(indent(fixture("test-a.key")), indent(key)));
    Result r = run("validate", home.resolve("conf/routes").toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "site.yaml:26:12: error: tls.key: the private key does not belong to the certificate")
        .contains("(at Secret/a-tls.stringData.tls.key)");
    assertNoKeys(r.out() + r.err());
  }

  @Test
  void run_tlsConfigErrors_exitWithStatus2AndTheField() throws Exception {
    conf(
        """
        gateway:
          listeners: [{port: 8080}]
          tls:
            listeners: [{port: 8080}]
        """);
    Result r =
        run(
            "run",
            "--conf",
            home.resolve("conf/gangway.yaml").toString(),
            "--run-dir",
            home.resolve("run").toString(),
            "--data-dir",
            home.resolve("data").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("gateway.tls.listeners: port 8080 is also another listener");

    conf(
        """
        gateway:
          tls:
            certificates:
              - {hosts: [], cert: certs/test-a.crt, key: certs/test-a.key}
        """);
    r =
        run(
            "translate",
            "--conf",
            home.resolve("conf/gangway.yaml").toString(),
            home.resolve("conf/routes").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .contains("gateway.tls.certificates[].hosts: [] (expected: at least one host");
  }

  private void conf(String yaml) throws IOException {
    Files.writeString(home.resolve("conf/gangway.yaml"), yaml);
  }

  private static void assertNoKeys(String text) {
    assertThat(text).doesNotContain("PRIVATE KEY");
    for (String key :
        List.of("test-a.key", "test-b.key", "test-default.key", "test-wildcard.key")) {
      fixture(key)
          .lines()
          .filter(l -> !l.startsWith("-----"))
          .forEach(line -> assertThat(text).as(key).doesNotContain(line));
    }
  }

  private Result run(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgangway.home=" + home,
                "-Dgangway.cli=true",
                "-cp",
                System.getProperty("java.class.path"),
                "io.gangway.server.Main"));
    cmd.addAll(List.of(args));
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(home.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("gangway " + String.join(" ", args) + " did not finish");
    }
    String stderr =
        Files.readString(err, StandardCharsets.UTF_8)
            .lines()
            .filter(
                l ->
                    !l.contains("SLF4J")
                        && !l.matches("^\\d{4}-\\d\\d-\\d\\dT.*|^\\d\\d:\\d\\d:\\d\\d.*"))
            .reduce("", (x, y) -> x + y + "\n");
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr);
  }

  private static String fixture(String name) {
    try {
      return Files.readString(FIXTURES.resolve(name));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String indent(String pem) {
    return pem.lines().map(l -> "    " + l).reduce((x, y) -> x + "\n" + y).orElse("");
  }
}
