package io.gangway.registry.eureka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * {@code EurekaDouble} is an in-process Eureka server speaking the REST API that Gangway and its tests
 * use, in the JSON shape Eureka's Jackson codec writes:
 * <ul>
 *   <li>{@code GET /eureka/apps} → {@code {"applications": {"versions__delta", "apps__hashcode",
 *       "application": [{"name", "instance": [...]}]}}}, instances with {@code port}/{@code securePort}
 *       as {@code {"$": 8080, "@enabled": "true"}}, {@code status}, {@code dataCenterInfo}, {@code
 *       leaseInfo}, and {@code metadata} ({@code {"@class": "java.util.Collections$EmptyMap"}} when empty).
 *       Applications without instances are not listed, as in Eureka.
 *   <li>{@code GET /eureka/apps/<APP>} → {@code {"application": {...}}} or 404.
 *   <li>{@code POST /eureka/apps/<APP>} with {@code {"instance": {...}}} registers (204); {@code DELETE
 *       /eureka/apps/<APP>/<id>} cancels (200/404); {@code PUT .../<id>/status?value=X} overrides the
 *       status (200/404); {@code PUT .../<id>} is a heartbeat (200/404). App names are upper-cased.
 * </ul>
 * Simplification: only JSON is served; a request without {@code application/json} in {@code Accept}
 * gets 406 (Eureka would answer XML). There is no lease expiry and no response cache, so changes are
 * visible at once (a real server's read-only cache delays them up to 30 s).
 *
 * <p>The Java API ({@link #register}, {@link #deregister}, {@link #setStatus}) changes the registry
 * directly; {@link #stop}/{@link #restart} simulate an outage, {@link #clear} a restart with an empty
 * registry, and {@link #failWith} an unhealthy server. Thread-safe.
 */
final class EurekaDouble implements AutoCloseable {

  static {
    // Eureka's Tomcat sets TCP_NODELAY; the JDK server must too, or answers pick up ~40 ms of delayed ACKs.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** One registered instance, as Eureka's InstanceInfo holds it. */
  record Instance(String app, String instanceId, String hostName, String ipAddr, String status, int port,
      boolean portEnabled, int securePort, boolean securePortEnabled, Map<String, String> metadata, long registered) {

    /** An UP instance on {@code ip:port} (plain port enabled, secure port 443 disabled). */
    static Instance up(String app, String instanceId, String ip, int port, Map<String, String> metadata) {
      return new Instance(app, instanceId, ip, ip, "UP", port, true, 443, false, metadata, System.currentTimeMillis());
    }

    Instance withStatus(String newStatus) {
      return new Instance(app, instanceId, hostName, ipAddr, newStatus, port, portEnabled, securePort, securePortEnabled,
          metadata, registered);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Map<String, Instance>> apps = new TreeMap<>(); // guarded by this
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "eureka-double");
    t.setDaemon(true);
    return t;
  });
  private volatile int failStatus;
  private @Nullable HttpServer server;
  private int port;

  private EurekaDouble() {}

  /** Starts a double on a free loopback port. */
  static EurekaDouble start() throws IOException {
    EurekaDouble d = new EurekaDouble();
    d.listen(0);
    return d;
  }

  synchronized int port() {
    return port;
  }

  /** Registers or replaces an instance (the app name is upper-cased, as Eureka does). */
  synchronized void register(Instance instance) {
    String app = instance.app().toUpperCase(Locale.ROOT);
    apps.computeIfAbsent(app, k -> new LinkedHashMap<>()).put(instance.instanceId(), new Instance(app,
        instance.instanceId(), instance.hostName(), instance.ipAddr(), instance.status(), instance.port(),
        instance.portEnabled(), instance.securePort(), instance.securePortEnabled(), instance.metadata(),
        instance.registered()));
  }

  /** Cancels an instance; returns whether it existed. An app left without instances disappears. */
  synchronized boolean deregister(String app, String instanceId) {
    Map<String, Instance> instances = apps.get(app.toUpperCase(Locale.ROOT));
    if (instances == null || instances.remove(instanceId) == null) {
      return false;
    }
    if (instances.isEmpty()) {
      apps.remove(app.toUpperCase(Locale.ROOT));
    }
    return true;
  }

  /** Overrides an instance's status (UP, DOWN, STARTING, OUT_OF_SERVICE, UNKNOWN); returns whether it exists. */
  synchronized boolean setStatus(String app, String instanceId, String status) {
    Map<String, Instance> instances = apps.get(app.toUpperCase(Locale.ROOT));
    Instance i = instances == null ? null : instances.get(instanceId);
    if (i == null) {
      return false;
    }
    instances.put(instanceId, i.withStatus(status));
    return true;
  }

  /** Empties the registry, as a restarted server without peers is until its clients re-register. */
  synchronized void clear() {
    apps.clear();
  }

  /** Answers every request with {@code status} (e.g. 503) until called with 0. */
  void failWith(int status) {
    failStatus = status;
  }

  /** Returns every request seen so far, as {@code METHOD path?query Accept=<accept>}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  /** Simulates the server going down: no listener, connections dropped. */
  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Listens again on the same port; the registry content is kept. */
  synchronized void restart() throws IOException {
    if (server == null) {
      listen(port);
    }
  }

  @Override
  public void close() {
    stop();
    executor.shutdownNow();
  }

  private synchronized void listen(int onPort) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
    s.setExecutor(executor);
    s.createContext("/eureka/", this::handle);
    s.start();
    server = s;
    port = s.getAddress().getPort();
  }

  private void handle(HttpExchange ex) {
    try {
      String path = ex.getRequestURI().getRawPath();
      String query = ex.getRequestURI().getRawQuery();
      String accept = String.valueOf(ex.getRequestHeaders().getFirst("Accept"));
      requests.add(ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query) + " Accept=" + accept);
      if (failStatus != 0) {
        send(ex, failStatus, "text/plain", "failing on purpose".getBytes(StandardCharsets.UTF_8));
        return;
      }
      List<String> parts = new ArrayList<>();
      for (String p : path.substring("/eureka/".length()).split("/")) {
        if (!p.isEmpty()) {
          parts.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
        }
      }
      route(ex, ex.getRequestMethod(), parts, query, accept);
    } catch (IOException e) {
      // The client went away or the double is stopping.
    } catch (RuntimeException e) {
      try {
        send(ex, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // As above.
      }
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex, String method, List<String> parts, @Nullable String query, String accept)
      throws IOException {
    if (parts.isEmpty() || !parts.get(0).equals("apps")) {
      send(ex, 404, "text/plain", new byte[0]);
      return;
    }
    if (method.equals("GET") && !accept.contains("json")) {
      send(ex, 406, "text/plain", "this double only serves application/json".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (method.equals("GET") && parts.size() == 1) {
      json(ex, 200, Map.of("applications", applications()));
    } else if (method.equals("GET") && parts.size() == 2) {
      Map<String, Object> app = application(parts.get(1).toUpperCase(Locale.ROOT));
      if (app == null) {
        send(ex, 404, "text/plain", new byte[0]);
      } else {
        json(ex, 200, Map.of("application", app));
      }
    } else if (method.equals("POST") && parts.size() == 2) {
      registerFromJson(ex, parts.get(1));
    } else if (method.equals("DELETE") && parts.size() == 3) {
      send(ex, deregister(parts.get(1), parts.get(2)) ? 200 : 404, "text/plain", new byte[0]);
    } else if (method.equals("PUT") && parts.size() == 4 && parts.get(3).equals("status")) {
      String value = query == null ? "" : query.replaceFirst("^.*value=([A-Z_]+).*$", "$1");
      send(ex, setStatus(parts.get(1), parts.get(2), value) ? 200 : 404, "text/plain", new byte[0]);
    } else if (method.equals("PUT") && parts.size() == 3) {
      send(ex, exists(parts.get(1), parts.get(2)) ? 200 : 404, "text/plain", new byte[0]);
    } else {
      send(ex, 405, "text/plain", new byte[0]);
    }
  }

  private void registerFromJson(HttpExchange ex, String app) throws IOException {
    JsonNode i = JSON.readTree(ex.getRequestBody()).path("instance");
    for (String required : List.of("instanceId", "hostName", "ipAddr", "app", "dataCenterInfo")) {
      if (i.path(required).isMissingNode() || i.path(required).asText().isEmpty() && !i.path(required).isObject()) {
        send(ex, 400, "text/plain", ("Missing " + required).getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    i.path("metadata").fields().forEachRemaining(f -> {
      if (!f.getKey().equals("@class")) {
        meta.put(f.getKey(), f.getValue().asText());
      }
    });
    register(new Instance(app, i.path("instanceId").asText(), i.path("hostName").asText(), i.path("ipAddr").asText(),
        i.path("status").asText("UP"), i.path("port").path("$").asInt(8080),
        i.path("port").path("@enabled").asText("true").equals("true"), i.path("securePort").path("$").asInt(443),
        i.path("securePort").path("@enabled").asText("false").equals("true"), meta, System.currentTimeMillis()));
    send(ex, 204, "text/plain", null);
  }

  private synchronized boolean exists(String app, String id) {
    Map<String, Instance> instances = apps.get(app.toUpperCase(Locale.ROOT));
    return instances != null && instances.containsKey(id);
  }

  private synchronized Map<String, Object> applications() {
    Map<String, Integer> byStatus = new TreeMap<>();
    List<Object> list = new ArrayList<>();
    for (String name : apps.keySet()) {
      list.add(application(name));
      apps.get(name).values().forEach(i -> byStatus.merge(i.status(), 1, Integer::sum));
    }
    StringBuilder hash = new StringBuilder();
    byStatus.forEach((status, count) -> hash.append(status).append('_').append(count).append('_'));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("versions__delta", "1");
    out.put("apps__hashcode", hash.toString());
    out.put("application", list);
    return out;
  }

  private synchronized @Nullable Map<String, Object> application(String name) {
    Map<String, Instance> instances = apps.get(name);
    if (instances == null) {
      return null;
    }
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("name", name);
    app.put("instance", instances.values().stream().map(EurekaDouble::instance).toList());
    return app;
  }

  private static Map<String, Object> instance(Instance i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instanceId", i.instanceId());
    m.put("hostName", i.hostName());
    m.put("app", i.app());
    m.put("ipAddr", i.ipAddr());
    m.put("status", i.status());
    m.put("overriddenStatus", "UNKNOWN");
    m.put("port", port(i.port(), i.portEnabled()));
    m.put("securePort", port(i.securePort(), i.securePortEnabled()));
    m.put("countryId", 1);
    m.put("dataCenterInfo", Map.of("@class", "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name", "MyOwn"));
    Map<String, Object> lease = new LinkedHashMap<>();
    lease.put("renewalIntervalInSecs", 30);
    lease.put("durationInSecs", 90);
    lease.put("registrationTimestamp", i.registered());
    lease.put("lastRenewalTimestamp", i.registered());
    lease.put("evictionTimestamp", 0);
    lease.put("serviceUpTimestamp", i.registered());
    m.put("leaseInfo", lease);
    m.put("metadata", i.metadata().isEmpty() ? Map.of("@class", "java.util.Collections$EmptyMap") : i.metadata());
    String base = "http://" + i.hostName() + ":" + i.port() + "/";
    m.put("homePageUrl", base);
    m.put("statusPageUrl", base + "actuator/info");
    m.put("healthCheckUrl", base + "actuator/health");
    m.put("vipAddress", i.app().toLowerCase(Locale.ROOT));
    m.put("secureVipAddress", i.app().toLowerCase(Locale.ROOT));
    m.put("isCoordinatingDiscoveryServer", "false");
    m.put("lastUpdatedTimestamp", Long.toString(i.registered()));
    m.put("lastDirtyTimestamp", Long.toString(i.registered()));
    m.put("actionType", "ADDED");
    return m;
  }

  private static Map<String, Object> port(int number, boolean enabled) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("$", number);
    p.put("@enabled", Boolean.toString(enabled));
    return p;
  }

  private static void json(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange ex, int status, String type, byte @Nullable [] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    if (body == null || body.length == 0) {
      ex.sendResponseHeaders(status, -1);
    } else {
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
    }
  }
}
