package io.gangway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.ingress.IngressTranslator;
import io.gangway.server.ads.EnvoyStatus;
import io.gangway.server.ads.SnapshotPublisher;
import io.gangway.server.pipeline.Pipeline;
import io.gangway.server.registry.RegistryManager;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.XdsTranslator;
import io.gangway.xds.feature.Features;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminServerTest {

  @TempDir Path data;
  private final List<AutoCloseable> open = new ArrayList<>();
  private List<EnvoyStatus> envoys = List.of();
  private @Nullable Pipeline pipeline;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private AdminServer serve(@Nullable String token) throws Exception {
    RegistryManager registries = new RegistryManager(Map.of(), () -> {});
    open.add(registries);
    pipeline =
        new Pipeline(
            new IngressTranslator(null),
            new XdsTranslator(
                List.of(
                    ListenerSettings.defaults("0.0.0.0", 8080),
                    ListenerSettings.defaults("0.0.0.0", 8080).asTls("0.0.0.0", 8443)),
                Features.defaults(),
                Duration.ofSeconds(5)),
            registries,
            new SnapshotPublisher(),
            data,
            Duration.ZERO);
    open.add(pipeline);
    AdminServer server =
        new AdminServer(
            new InetSocketAddress("127.0.0.1", 0),
            pipeline,
            () -> envoys.size(),
            () -> envoys,
            "files in test",
            Map::of,
            () -> "jvm_threads_live_threads 7.0\n",
            token,
            List.of(routes -> routes.get("/extra", ctx -> ctx.result("extra"))));
    open.add(0, server);
    return server;
  }

  private static HttpResponse<String> get(AdminServer s, String path, @Nullable String auth)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
    if (auth != null) {
      r.header("Authorization", auth);
    }
    return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withAToken_onlyTheRightBearerIsAdmitted_onEveryEndpointButHealthz() throws Exception {
    AdminServer s = serve("s3cret");
    for (String path : List.of("/status", "/readyz", "/ready", "/metrics", "/extra")) {
      assertThat(get(s, path, null).statusCode()).as(path).isEqualTo(401);
      assertThat(get(s, path, "Bearer wrong").statusCode()).as(path).isEqualTo(401);
      assertThat(get(s, path, "Basic czNjcmV0").statusCode()).as(path).isEqualTo(401);
    }
    assertThat(get(s, "/status", null).headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(get(s, "/extra", "Bearer s3cret").body()).isEqualTo("extra");
    assertThat(get(s, "/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void withoutAToken_everythingIsAdmitted() throws Exception {
    AdminServer s = serve(null);
    assertThat(get(s, "/extra", null).statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = get(s, "/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_threads_live_threads");
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
  }

  private static String fixture(String name) throws java.io.IOException {
    return java.nio.file.Files.readString(
            Path.of("../ingress/src/test/resources/tls").toAbsolutePath().resolve(name))
        .indent(4)
        .stripTrailing();
  }

  @Test
  void configDump_printsSecretsWithTheirKeyRedacted_andAllTypesInOneMapping() throws Exception {
    AdminServer s = serve(null);
    assertThat(get(s, "/config_dump?type=secrets", null).statusCode())
        .as("nothing published yet")
        .isEqualTo(503);
    String key = fixture("test-a.key");
    String routes =
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
        metadata: {name: site}
        spec:
          tls:
            - {hosts: [a.example.com], secretName: a-tls}
          rules:
            - host: a.example.com
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}
        """
            .formatted(fixture("test-a.crt"), key);
    pipeline.initialize(
        new io.gangway.spi.route.RouteSnapshot(
            List.of(
                new io.gangway.spi.route.RouteDocument(
                    io.gangway.spi.route.SourceRef.file("site.yaml"), routes, "v1"))),
        Duration.ofSeconds(1));

    HttpResponse<String> secrets = get(s, "/config_dump?type=secrets", null);
    assertThat(secrets.statusCode()).isEqualTo(200);
    assertThat(secrets.body())
        .contains("BEGIN CERTIFICATE")
        .contains("[redacted]")
        .doesNotContain("PRIVATE KEY");
    key.lines()
        .map(String::strip)
        .filter(l -> !l.startsWith("-----") && !l.isEmpty())
        .forEach(l -> assertThat(secrets.body()).doesNotContain(l));

    String all = get(s, "/config_dump?type=all", null).body();
    @SuppressWarnings("unchecked")
    Map<String, List<Object>> parsed = new org.yaml.snakeyaml.Yaml().load(all);
    assertThat(parsed.keySet())
        .containsExactly("listeners", "routes", "clusters", "endpoints", "secrets");
    assertThat(parsed.get("listeners")).hasSize(2); // :8080 and the TLS :8443 of the Ingress
    assertThat(parsed.get("secrets")).isNotEmpty();
    assertThat(all).doesNotContain("PRIVATE KEY");
    assertThat(get(s, "/config_dump?type=bogus", null).statusCode()).isEqualTo(400);
  }

  @Test
  void readyz_isNotReadyBeforeTheFirstConfig_andSaysWhy() throws Exception {
    AdminServer s = serve(null);
    HttpResponse<String> r = get(s, "/readyz", null);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body())
        .contains("the first config is not published yet")
        .contains("no Envoy is connected");
    assertThat(get(s, "/ready", null).statusCode()).isEqualTo(503);
  }

  @Test
  void status_listsEachEnvoysAckAndNackState() throws Exception {
    AdminServer s = serve(null);
    envoys =
        List.of(
            new EnvoyStatus(
                1,
                "gw-1",
                Instant.parse("2026-12-02T10:00:00Z"),
                Map.of(
                    "routes",
                    new EnvoyStatus.TypeStatus(
                        Map.of("http.8080", "v1"),
                        0,
                        null,
                        new EnvoyStatus.Nack(
                            Instant.parse("2026-12-02T10:00:01Z"),
                            "regex too big",
                            Map.of("http.8080", "v2"))))));
    String body = get(s, "/status", null).body();
    assertThat(body)
        .contains("\"node\" : \"gw-1\"")
        .contains("\"message\" : \"regex too big\"")
        .contains("2026-12-02T10:00:01Z")
        .contains("\"ready\" : false");
  }

  @Test
  void notReady_namesNacksAndUnansweredPushes() {
    EnvoyStatus.TypeStatus ok = new EnvoyStatus.TypeStatus(Map.of("c", "1"), 0, null, null);
    EnvoyStatus.TypeStatus pending = new EnvoyStatus.TypeStatus(Map.of(), 2, null, null);
    EnvoyStatus.TypeStatus nacked =
        new EnvoyStatus.TypeStatus(
            Map.of(), 0, null, new EnvoyStatus.Nack(Instant.EPOCH, "bad cluster", Map.of()));
    Instant t = Instant.EPOCH;
    assertThat(
            AdminServer.notReady(true, List.of(new EnvoyStatus(1, "a", t, Map.of("clusters", ok)))))
        .isEmpty();
    assertThat(
            AdminServer.notReady(
                true, List.of(new EnvoyStatus(1, "a", t, Map.of("clusters", nacked)))))
        .containsExactly("Envoy a rejected clusters (NACK): bad cluster");
    assertThat(
            AdminServer.notReady(
                true, List.of(new EnvoyStatus(2, null, t, Map.of("routes", pending)))))
        .containsExactly("Envoy stream 2 has not answered 2 routes push(es)");
    assertThat(AdminServer.notReady(true, List.of()))
        .containsExactly("no Envoy is connected to xDS");
  }
}
