package io.gangway.server.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.server.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gangway validate} of one file with 20,000 Ingresses fits a small heap. The bound is
 * memory, not time: the child JVM gets 192 MiB (less than {@code bin/gangway}'s 256 MiB); when
 * parsed documents kept SnakeYAML's nodes (about 270 MiB for this file) it died of
 * OutOfMemoryError.
 */
class ValidateScaleIT {

  @TempDir Path dir;

  @Test
  void validate_20000Ingresses_inOneFile_fitsA192MiBHeap() throws Exception {
    Path file = dir.resolve("routes.yaml");
    StringBuilder y =
        new StringBuilder(
            """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default}
        spec:
          registries:
          - {type: static, name: svc, domain: "10.0.0.1:80", port: 80}
        """);
    for (int i = 0; i < 20_000; i++) {
      y.append(
          """
          ---
          apiVersion: networking.k8s.io/v1
          kind: Ingress
          metadata:
            name: route-%d
            namespace: default
            annotations:
              higress.io/destination: svc.static
          spec:
            ingressClassName: higress
            rules:
            - host: host%d.example.com
              http:
                paths:
                - path: /api/v1/resource-%d
                  pathType: Prefix
                  backend:
                    service:
                      name: svc.static
                      port:
                        number: 80
          """
              .formatted(i, i % 500, i));
    }
    Files.writeString(file, y, UTF_8);
    Path err = dir.resolve("err.txt");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "validate",
                file.toString())
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("validate did not finish within 300 s");
    }
    String stderr = Files.readString(err, UTF_8);
    assertThat(stderr)
        .doesNotContain("OutOfMemoryError")
        .contains("1 documents, 0 errors, 0 warnings");
    assertThat(p.exitValue()).isZero();
  }
}
