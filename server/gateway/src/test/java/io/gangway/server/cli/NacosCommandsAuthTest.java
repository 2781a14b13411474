package io.gangway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.route.nacos.NacosRouteSource;
import io.gangway.testing.nacos.NacosDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gangway publish} against a Nacos double with auth on, as a process: the password comes
 * only from {@code $NACOS_PASSWORD}, which cannot be set in-process.
 */
class NacosCommandsAuthTest {

  private static final String USER = "gangway";
  private static final String PASSWORD = "cli-secret-4711";
  private static final String DATA_ID = "gangway-routes.yaml";
  private static final String ROUTES =
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: site}
      spec:
        rules:
          - http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}
      """;

  @TempDir Path dir;

  private NacosDouble nacos;
  private String file;

  @BeforeEach
  void startNacos() throws Exception {
    nacos = NacosDouble.builder().auth(USER, PASSWORD).start();
    file = Files.writeString(dir.resolve("routes.yaml"), ROUTES).toString();
  }

  @AfterEach
  void stopNacos() {
    try {
      assertThat(nacos.unhandledRequests()).isEmpty();
    } finally {
      nacos.close();
    }
  }

  @Test
  void publish_usernameAndPasswordFromEnvironment_publishes() throws Exception {
    Cli.Result r =
        Cli.process(
            dir,
            Map.of("NACOS_PASSWORD", PASSWORD),
            "publish",
            file,
            "--server",
            nacos.serverAddr(),
            "--data-id",
            DATA_ID,
            "--username",
            USER);

    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.err()).contains("published nacos:public/DEFAULT_GROUP/" + DATA_ID);
    assertThat(nacos.getConfig("public", "DEFAULT_GROUP", DATA_ID)).isEqualTo(ROUTES);
    assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
  }

  @Test
  void get_credentialsOnlyFromEnvironment_readsWithMd5() throws Exception {
    nacos.publishConfig("public", "DEFAULT_GROUP", DATA_ID, ROUTES);

    Cli.Result r =
        Cli.process(
            dir,
            Map.of(
                "NACOS_ADDR",
                nacos.serverAddr(),
                "NACOS_USERNAME",
                USER,
                "NACOS_PASSWORD",
                PASSWORD),
            "get",
            "--data-id",
            DATA_ID);

    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo(ROUTES);
    assertThat(r.err()).contains("md5: " + NacosRouteSource.md5(ROUTES));
  }

  @Test
  void publish_withoutPassword_failsAndPublishesNothing() throws Exception {
    Cli.Result r =
        Cli.process(
            dir,
            Map.of(),
            "publish",
            file,
            "--server",
            nacos.serverAddr(),
            "--data-id",
            DATA_ID,
            "--username",
            USER);

    assertThat(r.status()).as(r.toString()).isNotZero();
    assertThat(r.err())
        .contains("403")
        .contains("User not found! Please check user exist or password is right!");
    assertThat(nacos.getConfig("public", "DEFAULT_GROUP", DATA_ID)).isNull();
    assertThat(nacos.requestCount("ConfigPublishRequest")).isZero();
  }

  @Test
  void publish_withoutPassword_isOneErrorLineWithoutStackTrace() throws Exception {
    Cli.Result r =
        Cli.process(
            dir,
            Map.of(),
            "publish",
            file,
            "--server",
            nacos.serverAddr(),
            "--data-id",
            DATA_ID,
            "--username",
            USER);

    assertThat(r.status()).as(r.toString()).isNotZero();
    assertThat(r.err())
        .contains("gangway: error: ")
        .contains("nacos:public/DEFAULT_GROUP/" + DATA_ID)
        .doesNotContain("\tat ");
  }

  @Test
  void publish_wrongPassword_failsAndPublishesNothing() throws Exception {
    Cli.Result r =
        Cli.process(
            dir,
            Map.of("NACOS_PASSWORD", "wrong"),
            "publish",
            file,
            "--server",
            nacos.serverAddr(),
            "--data-id",
            DATA_ID,
            "--username",
            USER);

    assertThat(r.status()).as(r.toString()).isNotZero();
    assertThat(nacos.getConfig("public", "DEFAULT_GROUP", DATA_ID)).isNull();
    assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
  }
}
