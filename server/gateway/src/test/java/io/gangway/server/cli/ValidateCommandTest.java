package io.gangway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gangway validate} and {@code translate} read what the running gateway reads, and say when
 * that is nothing.
 */
class ValidateCommandTest {

  private static final String BAD_INGRESS =
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: demo}
      spec:
        rules:
          - http:
              paths:
                - {path: /a, pathType: Sideways, backend: {service: {name: web, port: {number: 80}}}}
      """;

  @TempDir Path dir;

  @Test
  void validate_symlinkedDirectory_checksTheFilesBehindIt() throws IOException {
    Path real = Files.createDirectories(dir.resolve("real"));
    Files.writeString(real.resolve("bad.yaml"), BAD_INGRESS);
    Path routes = Files.createSymbolicLink(dir.resolve("routes"), real);

    Cli.Result r = Cli.inProcess("validate", routes.toString());

    assertThat(r.status()).as(r.toString()).isEqualTo(1);
    assertThat(r.out())
        .contains(routes.resolve("bad.yaml") + ":8:")
        .contains("invalid pathType 'Sideways'");
    assertThat(r.err()).contains("1 documents, 1 errors");
  }

  @Test
  void validate_directoryWithoutRouteFiles_warns() throws IOException {
    Files.writeString(dir.resolve("notes.txt"), "not a route\n");

    Cli.Result r = Cli.inProcess("validate", dir.toString());

    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.err())
        .contains("gangway: warning: " + dir + " holds no route files (*.yaml, *.yml)")
        .contains("0 documents, 0 errors, 1 warnings");
  }

  @Test
  void validate_danglingLinkedFile_isAnError() throws IOException {
    Files.createSymbolicLink(dir.resolve("a.yaml"), dir.resolve("gone.yaml"));

    Cli.Result r = Cli.inProcess("validate", dir.toString());

    assertThat(r.status()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("cannot read " + dir.resolve("a.yaml"));
  }
}
