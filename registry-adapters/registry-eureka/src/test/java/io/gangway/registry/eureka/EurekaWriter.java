package io.gangway.registry.eureka;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code EurekaWriter} changes a Eureka registry the way a Eureka client does, through the REST API
 * ({@code POST /eureka/apps/<APP>}, {@code PUT .../status}, {@code DELETE}), so the same test code
 * drives the double and a real server. Not thread-safe.
 */
final class EurekaWriter {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;

  EurekaWriter(EurekaTarget target) {
    this.base = target.baseUrl();
  }

  /** Registers an instance with the given status and ports. */
  void register(
      String app,
      String id,
      String ip,
      int port,
      boolean portEnabled,
      int securePort,
      boolean securePortEnabled,
      String status,
      Map<String, String> metadata) {
    Map<String, Object> i = new LinkedHashMap<>();
    i.put("instanceId", id);
    i.put("hostName", ip);
    i.put("app", app.toUpperCase(Locale.ROOT));
    i.put("ipAddr", ip);
    i.put("status", status);
    i.put("overriddenstatus", "UNKNOWN");
    i.put("port", Map.of("$", port, "@enabled", Boolean.toString(portEnabled)));
    i.put("securePort", Map.of("$", securePort, "@enabled", Boolean.toString(securePortEnabled)));
    i.put("countryId", 1);
    i.put(
        "dataCenterInfo",
        Map.of(
            "@class", "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name", "MyOwn"));
    i.put("leaseInfo", Map.of("renewalIntervalInSecs", 30, "durationInSecs", 90));
    i.put(
        "metadata",
        metadata.isEmpty() ? Map.of("@class", "java.util.Collections$EmptyMap") : metadata);
    i.put("vipAddress", app.toLowerCase(Locale.ROOT));
    i.put("secureVipAddress", app.toLowerCase(Locale.ROOT));
    i.put("homePageUrl", "http://" + ip + ":" + port + "/");
    i.put("statusPageUrl", "http://" + ip + ":" + port + "/actuator/info");
    i.put("healthCheckUrl", "http://" + ip + ":" + port + "/actuator/health");
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(Map.of("instance", i));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    send(
        HttpRequest.newBuilder(uri("/apps/" + app))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)),
        List.of(204));
  }

  /** Registers an UP instance on {@code ip:port} (plain port). */
  void registerUp(String app, String id, String ip, int port, Map<String, String> metadata) {
    register(app, id, ip, port, true, 443, false, "UP", metadata);
  }

  /** Overrides an instance's status, as {@code PUT /eureka/apps/<APP>/<id>/status?value=} does. */
  void setStatus(String app, String id, String status) {
    send(
        HttpRequest.newBuilder(uri("/apps/" + app + "/" + id + "/status?value=" + status))
            .PUT(HttpRequest.BodyPublishers.noBody()),
        List.of(200));
  }

  /** Renews an instance's lease, as {@code PUT /eureka/apps/<APP>/<id>} does. */
  void heartbeat(String app, String id) {
    send(
        HttpRequest.newBuilder(uri("/apps/" + app + "/" + id))
            .PUT(HttpRequest.BodyPublishers.noBody()),
        List.of(200));
  }

  /** Cancels an instance. */
  void deregister(String app, String id) {
    send(HttpRequest.newBuilder(uri("/apps/" + app + "/" + id)).DELETE(), List.of(200, 404));
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private void send(HttpRequest.Builder request, List<Integer> expected) {
    try {
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (!expected.contains(r.statusCode())) {
        throw new IllegalStateException(
            r.request().method()
                + " "
                + r.request().uri()
                + " -> "
                + r.statusCode()
                + " "
                + r.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
