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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * {@code EurekaDouble} is an in-process Eureka server speaking the REST API that Gangway and its
 * tests use, in the JSON shape Eureka's Jackson codec writes:
 *
 * <ul>
 *   <li>{@code GET /eureka/apps} → {@code {"applications": {"versions__delta", "apps__hashcode",
 *       "application": [{"name", "instance": [...]}]}}}, instances with {@code port}/{@code
 *       securePort} as {@code {"$": 8080, "@enabled": "true"}}, {@code status}, {@code
 *       dataCenterInfo}, {@code leaseInfo}, and {@code metadata} ({@code {"@class":
 *       "java.util.Collections$EmptyMap"}} when empty). Applications without instances are not
 *       listed, as in Eureka.
 *   <li>{@code GET /eureka/apps/<APP>} → {@code {"application": {...}}} or 404.
 *   <li>{@code POST /eureka/apps/<APP>} with {@code {"instance": {...}}} registers (204); {@code
 *       DELETE /eureka/apps/<APP>/<id>} cancels (200/404); {@code PUT .../<id>/status?value=X}
 *       overrides the status (200/404); {@code PUT .../<id>} is a heartbeat (200/404). App names
 *       are upper-cased.
 * </ul>
 *
 * As Eureka, a GET without {@code json} in {@code Accept} is answered in XML (the fields above, a
 * subset of Eureka's XStream output). {@link #start(Duration, Duration)} adds the two delays of a
 * real server: a read-only response cache ({@code eureka.server.response-cache-update-interval-ms},
 * 30 s there), so a GET may show an answer up to that old, and lease expiry (an instance without a
 * heartbeat for {@code leaseExpiry}, 90 s there, is evicted; the Java API's register counts as
 * one). {@link #start()} has neither, so that tests that need no delay stay fast.
 *
 * <p>The Java API ({@link #register}, {@link #deregister}, {@link #setStatus}) changes the registry
 * directly; {@link #stop}/{@link #restart} simulate an outage, {@link #clear} a restart with an
 * empty registry, and {@link #failWith} an unhealthy server. Thread-safe.
 */
final class EurekaDouble implements AutoCloseable {

  static {
    // Eureka's Tomcat sets TCP_NODELAY; the JDK server must too, or answers pick up ~40 ms of
    // delayed ACKs.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** One registered instance, as Eureka's InstanceInfo holds it. */
  record Instance(
      String app,
      String instanceId,
      String hostName,
      String ipAddr,
      String status,
      int port,
      boolean portEnabled,
      int securePort,
      boolean securePortEnabled,
      Map<String, String> metadata,
      long registered) {

    /** An UP instance on {@code ip:port} (plain port enabled, secure port 443 disabled). */
    static Instance up(
        String app, String instanceId, String ip, int port, Map<String, String> metadata) {
      return new Instance(
          app,
          instanceId,
          ip,
          ip,
          "UP",
          port,
          true,
          443,
          false,
          metadata,
          System.currentTimeMillis());
    }

    Instance withStatus(String newStatus) {
      return new Instance(
          app,
          instanceId,
          hostName,
          ipAddr,
          newStatus,
          port,
          portEnabled,
          securePort,
          securePortEnabled,
          metadata,
          registered);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Map<String, Instance>> apps = new TreeMap<>(); // guarded by this
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "eureka-double");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Long> renewedNanos =
      new HashMap<>(); // app/id -> last heartbeat; guarded by this
  private final Map<String, Cached> cache =
      new HashMap<>(); // GET path + format -> answer; guarded by this
  private final long cacheNanos;
  private final long leaseNanos;
  private final long bornNanos = System.nanoTime();
  private volatile int failStatus;
  private @Nullable HttpServer server;
  private int port;

  /** A cached GET answer and when it was built. */
  private record Cached(int status, String type, byte[] body, long tick) {}

  private EurekaDouble(Duration responseCache, Duration leaseExpiry) {
    this.cacheNanos = responseCache.toNanos();
    this.leaseNanos = leaseExpiry.toNanos();
  }

  /** Starts a double on a free loopback port, without response cache and lease expiry. */
  static EurekaDouble start() throws IOException {
    return start(Duration.ZERO, Duration.ZERO);
  }

  /**
   * Starts a double whose GET answers are cached for {@code responseCache} and whose instances are
   * evicted {@code leaseExpiry} after their last heartbeat (zero: never), as a real server does (30
   * s, 90 s).
   */
  static EurekaDouble start(Duration responseCache, Duration leaseExpiry) throws IOException {
    EurekaDouble d = new EurekaDouble(responseCache, leaseExpiry);
    d.listen(0);
    return d;
  }

  synchronized int port() {
    return port;
  }

  /** Registers or replaces an instance (the app name is upper-cased, as Eureka does). */
  synchronized void register(Instance instance) {
    String app = instance.app().toUpperCase(Locale.ROOT);
    apps.computeIfAbsent(app, k -> new LinkedHashMap<>())
        .put(
            instance.instanceId(),
            new Instance(
                app,
                instance.instanceId(),
                instance.hostName(),
                instance.ipAddr(),
                instance.status(),
                instance.port(),
                instance.portEnabled(),
                instance.securePort(),
                instance.securePortEnabled(),
                instance.metadata(),
                instance.registered()));
    renewedNanos.put(app + "/" + instance.instanceId(), System.nanoTime());
  }

  /** Drops instances whose lease has expired (the server's evict task, run before every read). */
  private synchronized void evictExpired() {
    if (leaseNanos <= 0) {
      return;
    }
    long now = System.nanoTime();
    for (Map.Entry<String, Long> e : List.copyOf(renewedNanos.entrySet())) {
      if (now - e.getValue() >= leaseNanos) {
        String[] key = e.getKey().split("/", 2);
        deregister(key[0], key[1]);
      }
    }
  }

  /** Cancels an instance; returns whether it existed. An app left without instances disappears. */
  synchronized boolean deregister(String app, String instanceId) {
    Map<String, Instance> instances = apps.get(app.toUpperCase(Locale.ROOT));
    renewedNanos.remove(app.toUpperCase(Locale.ROOT) + "/" + instanceId);
    if (instances == null || instances.remove(instanceId) == null) {
      return false;
    }
    if (instances.isEmpty()) {
      apps.remove(app.toUpperCase(Locale.ROOT));
    }
    return true;
  }

  /**
   * Overrides an instance's status (UP, DOWN, STARTING, OUT_OF_SERVICE, UNKNOWN); returns whether
   * it exists.
   */
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
    renewedNanos.clear();
    cache.clear();
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
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
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
      requests.add(
          ex.getRequestMethod()
              + " "
              + path
              + (query == null ? "" : "?" + query)
              + " Accept="
              + accept);
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

  private void route(
      HttpExchange ex, String method, List<String> parts, @Nullable String query, String accept)
      throws IOException {
    if (parts.isEmpty() || !parts.get(0).equals("apps")) {
      send(ex, 404, "text/plain", new byte[0]);
      return;
    }
    if (method.equals("GET") && parts.size() <= 2) {
      Cached c = read(parts, accept.contains("json"));
      send(ex, c.status(), c.type(), c.body());
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

  /**
   * A GET answer from the response cache. Like Eureka's read-only cache, which a timer refreshes
   * every period whatever the reads, an answer stays until the next period boundary (counted from
   * start), so its age does not depend on when clients poll.
   */
  private synchronized Cached read(List<String> parts, boolean json) throws IOException {
    evictExpired();
    String key = String.join("/", parts).toUpperCase(Locale.ROOT) + (json ? " json" : " xml");
    Cached c = cache.get(key);
    long now = System.nanoTime();
    long tick = cacheNanos > 0 ? (now - bornNanos) / cacheNanos : now;
    if (c != null && c.tick() == tick) {
      return c;
    }
    String name = parts.size() == 2 ? parts.get(1).toUpperCase(Locale.ROOT) : null;
    Map<String, Object> app = name == null ? null : application(name);
    if (name != null && app == null) {
      c = new Cached(404, "text/plain", new byte[0], tick);
    } else {
      String root = name == null ? "applications" : "application";
      Object body = name == null ? applications() : app;
      c =
          json
              ? new Cached(
                  200, "application/json", JSON.writeValueAsBytes(Map.of(root, body)), tick)
              : new Cached(
                  200, "application/xml", xml(root, body).getBytes(StandardCharsets.UTF_8), tick);
    }
    if (cacheNanos > 0) {
      cache.put(key, c);
    }
    return c;
  }

  /**
   * Writes the JSON tree as Eureka's XML: lists repeat their element, {@code @x} keys become
   * attributes.
   */
  private static String xml(String name, @Nullable Object value) {
    StringBuilder out = new StringBuilder();
    if (value instanceof List<?> list) {
      list.forEach(v -> out.append(xml(name, v)));
      return out.toString();
    }
    out.append('<').append(name);
    StringBuilder inner = new StringBuilder();
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String k = String.valueOf(e.getKey());
        if (k.startsWith("@")) {
          out.append(' ')
              .append(k.substring(1))
              .append("=\"")
              .append(escape(String.valueOf(e.getValue())))
              .append('"');
        } else if (k.equals("$")) {
          inner.append(escape(String.valueOf(e.getValue())));
        } else {
          inner.append(xml(k, e.getValue()));
        }
      }
    } else {
      inner.append(escape(String.valueOf(value)));
    }
    return out.append('>').append(inner).append("</").append(name).append('>').toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private void registerFromJson(HttpExchange ex, String app) throws IOException {
    JsonNode i = JSON.readTree(ex.getRequestBody()).path("instance");
    for (String required : List.of("instanceId", "hostName", "ipAddr", "app", "dataCenterInfo")) {
      if (i.path(required).isMissingNode()
          || i.path(required).asText().isEmpty() && !i.path(required).isObject()) {
        send(ex, 400, "text/plain", ("Missing " + required).getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    Map<String, String> meta = new LinkedHashMap<>();
    i.path("metadata")
        .fields()
        .forEachRemaining(
            f -> {
              if (!f.getKey().equals("@class")) {
                meta.put(f.getKey(), f.getValue().asText());
              }
            });
    register(
        new Instance(
            app,
            i.path("instanceId").asText(),
            i.path("hostName").asText(),
            i.path("ipAddr").asText(),
            i.path("status").asText("UP"),
            i.path("port").path("$").asInt(8080),
            i.path("port").path("@enabled").asText("true").equals("true"),
            i.path("securePort").path("$").asInt(443),
            i.path("securePort").path("@enabled").asText("false").equals("true"),
            meta,
            System.currentTimeMillis()));
    send(ex, 204, "text/plain", null);
  }

  /** A heartbeat: renews the lease; returns whether the instance exists. */
  private synchronized boolean exists(String app, String id) {
    evictExpired();
    Map<String, Instance> instances = apps.get(app.toUpperCase(Locale.ROOT));
    boolean known = instances != null && instances.containsKey(id);
    if (known) {
      renewedNanos.put(app.toUpperCase(Locale.ROOT) + "/" + id, System.nanoTime());
    }
    return known;
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
    m.put(
        "dataCenterInfo",
        Map.of(
            "@class", "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", "name", "MyOwn"));
    Map<String, Object> lease = new LinkedHashMap<>();
    lease.put("renewalIntervalInSecs", 30);
    lease.put("durationInSecs", 90);
    lease.put("registrationTimestamp", i.registered());
    lease.put("lastRenewalTimestamp", i.registered());
    lease.put("evictionTimestamp", 0);
    lease.put("serviceUpTimestamp", i.registered());
    m.put("leaseInfo", lease);
    m.put(
        "metadata",
        i.metadata().isEmpty() ? Map.of("@class", "java.util.Collections$EmptyMap") : i.metadata());
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

  private static void send(HttpExchange ex, int status, String type, byte @Nullable [] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    if (body == null || body.length == 0) {
      ex.sendResponseHeaders(status, -1);
    } else {
      ex.sendResponseHeaders(status, body.length);
      ex.getResponseBody().write(body);
    }
  }
}
