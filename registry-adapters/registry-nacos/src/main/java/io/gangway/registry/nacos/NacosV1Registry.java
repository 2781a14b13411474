package io.gangway.registry.nacos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.spi.registry.AbstractRegistry;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.RegistryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code NacosV1Registry} discovers services of a Nacos 1.x server through the v1 Open API: the
 * service list of each group every refresh interval, and each service's instances every poll
 * interval ({@code GET /nacos/v1/ns/instance/list}). Nacos 1.x has no push a plain HTTP client can
 * use (its UDP push needs a receiver the server can reach), so changes arrive within one poll
 * interval. An HTTP 200 answer is authoritative (an empty host list empties the service); any
 * failure keeps the last known endpoints. With {@code nacosUsername}/{@code nacosPassword} it logs
 * in first ({@link NacosV1Login}) and sends the access token with every request; a 403 triggers one
 * new login and retry. One daemon thread does all requests, in order.
 */
final class NacosV1Registry extends AbstractRegistry {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 50;

  private final NacosV1Settings settings;
  // One client for the process: Java 17's HttpClient cannot be closed, so one per registry would
  // leak threads.
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final ScheduledExecutorService executor;
  private final Map<String, Set<String>> servicesByGroup = new HashMap<>();
  private final NacosV1Login login;
  private long nextList;
  private boolean listedOnce;

  NacosV1Registry(RegistryConfig config, NacosV1Settings settings) {
    super(config);
    this.settings = settings;
    this.executor = newScheduler("gangway-registry-" + config.key());
    this.login =
        new NacosV1Login(http, settings.baseUrl(), settings.username(), settings.password());
  }

  @Override
  protected void doStart() {
    var unused =
        executor.scheduleWithFixedDelay(
            this::cycle, 0, settings.poll().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doClose() {
    executor.shutdownNow();
  }

  private void cycle() {
    try {
      if (System.nanoTime() >= nextList || !listedOnce) {
        list();
        nextList = System.nanoTime() + settings.refresh().toNanos();
      }
      for (Map.Entry<String, Set<String>> e : servicesByGroup.entrySet()) {
        for (String service : e.getValue()) {
          poll(e.getKey(), service);
        }
      }
      markHealthy();
      if (!listedOnce) {
        listedOnce = true;
        markReady();
      }
    } catch (IOException | RuntimeException e) {
      reportError(new IOException("nacos " + settings.baseUrl() + ": " + e.getMessage(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void list() throws IOException, InterruptedException {
    for (String group : settings.groups()) {
      Set<String> names = new HashSet<>();
      for (int page = 1; ; page++) {
        JsonNode body =
            get(
                "/nacos/v1/ns/service/list",
                Map.of(
                    "pageNo",
                    String.valueOf(page),
                    "pageSize",
                    String.valueOf(PAGE),
                    "groupName",
                    group,
                    "namespaceId",
                    settings.namespaceId()));
        JsonNode doms = body.path("doms");
        doms.forEach(d -> names.add(d.asText()));
        if (doms.size() < PAGE || names.size() >= body.path("count").asInt()) {
          break;
        }
      }
      names.removeIf(n -> n.isEmpty() || n.startsWith("consumers:"));
      Set<String> before = servicesByGroup.getOrDefault(group, Set.of());
      before.stream().filter(n -> !names.contains(n)).forEach(n -> remove(settings.host(n, group)));
      servicesByGroup.put(group, names);
    }
  }

  private void poll(String group, String service) throws IOException, InterruptedException {
    JsonNode body =
        get(
            "/nacos/v1/ns/instance/list",
            Map.of(
                "serviceName",
                service,
                "groupName",
                group,
                "namespaceId",
                settings.namespaceId(),
                "healthyOnly",
                "false"));
    List<Endpoint> endpoints = new ArrayList<>();
    for (JsonNode h : body.path("hosts")) {
      int port = h.path("port").asInt();
      if (!h.path("healthy").asBoolean(true)
          || !h.path("enabled").asBoolean(true)
          || port < 1
          || port > 65535) {
        continue;
      }
      Map<String, String> metadata = new LinkedHashMap<>();
      h.path("metadata")
          .fields()
          .forEachRemaining(f -> metadata.put(f.getKey(), f.getValue().asText()));
      int weight = (int) Math.max(1, Math.round(h.path("weight").asDouble(1)));
      endpoints.add(new Endpoint(h.path("ip").asText(), port, weight, metadata));
    }
    publish(settings.host(service, group), endpoints, true);
  }

  /** One GET with the access token; a 403 drops the token and retries once after a new login. */
  private JsonNode get(String path, Map<String, String> params)
      throws IOException, InterruptedException {
    HttpResponse<String> r = send(path, params);
    if (r.statusCode() == 403 && login.enabled()) {
      login.invalidate();
      r = send(path, params);
    }
    if (r.statusCode() != 200) {
      throw new IOException(
          "GET "
              + path
              + " answered "
              + r.statusCode()
              + (r.statusCode() == 403 && !login.enabled()
                  ? " (auth is on: set nacosUsername/nacosPassword" + " or authSecretName)"
                  : ""));
    }
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String path, Map<String, String> params)
      throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder();
    String token = login.token();
    Map<String, String> all = new LinkedHashMap<>(params);
    if (token != null) {
      all.put("accessToken", token);
    }
    all.forEach(
        (k, v) ->
            q.append(q.length() == 0 ? "?" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(settings.baseUrl() + path + q))
            .timeout(Duration.ofSeconds(5))
            .GET();
    if (token != null) {
      b.header("accessToken", token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
