package io.gangway.registry.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gangway.registry.consul.DoubleDatacenter.Check;
import io.gangway.registry.consul.DoubleDatacenter.Entry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code ConsulDouble} is an in-process Consul HTTP API for the endpoints Gangway and its tests
 * use, with Consul's semantics rather than canned answers:
 *
 * <ul>
 *   <li>{@code GET /v1/catalog/services} and {@code GET /v1/health/service/<name>} ({@code
 *       passing}, {@code dc}) are blocking queries: with {@code index=N} the request is held until
 *       the resource's index exceeds N or {@code wait} (default 5m, at most 10m, plus up to wait/16
 *       jitter) expires; answers carry {@code X-Consul-Index}, {@code X-Consul-KnownLeader} and
 *       {@code X-Consul-LastContact}.
 *   <li>{@code PUT /v1/catalog/register} and {@code /v1/catalog/deregister} change the catalog.
 *   <li>ACLs (after {@link #enableAcl}) behave as {@code default_policy = "deny"}: an unknown token
 *       gets 403 {@code ACL not found}; no token means the anonymous token, whose reads are
 *       filtered to nothing without {@code X-Consul-Results-Filtered-By-ACLs} (real Consul sends
 *       that header only for a real token, see {@link #addServiceOnlyToken}) and whose writes get
 *       403. Tokens are read from {@code X-Consul-Token}, {@code Authorization: Bearer} or {@code
 *       ?token=}.
 *   <li>Datacenters: {@code dc} selects one of the configured datacenters (default: the first); any
 *       other gets 500 {@code No path to datacenter}.
 * </ul>
 *
 * Outages: {@link #stop} closes the listener and every connection (held queries included) and
 * {@link #restart} listens again on the same port with the data kept; {@link #leaderless} answers
 * 500 {@code No cluster leader}, as Consul does while it has no leader. Thread-safe.
 */
final class ConsulDouble implements AutoCloseable {

  static {
    // Go's net/http (Consul) sets TCP_NODELAY; without it the JDK server's separate header and body
    // writes meet delayed ACKs and every answer takes ~40 ms longer than a real agent's.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HEALTH = Pattern.compile("/v1/health/service/([^/]+)");
  private static final long DEFAULT_WAIT_MS = 5 * 60_000;
  private static final long MAX_WAIT_MS = 10 * 60_000;

  private final Map<String, DoubleDatacenter> datacenters = new LinkedHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "consul-double");
            t.setDaemon(true);
            return t;
          });
  private volatile @Nullable String managementToken;
  private volatile boolean leaderless;
  private volatile @Nullable String serviceOnlyToken;
  private final List<String> tokenHeaders = new CopyOnWriteArrayList<>();
  private @Nullable HttpServer server;
  private int port;

  private ConsulDouble(List<String> dcs) {
    dcs.forEach(dc -> datacenters.put(dc, new DoubleDatacenter(dc)));
  }

  /** Starts a double on a free loopback port serving {@code dcs} (the first is the agent's own). */
  static ConsulDouble start(String... dcs) throws IOException {
    ConsulDouble d = new ConsulDouble(dcs.length == 0 ? List.of("dc1") : List.of(dcs));
    d.listen(0);
    return d;
  }

  String host() {
    return "127.0.0.1";
  }

  synchronized int port() {
    return port;
  }

  /** Returns a datacenter's catalog, for direct changes from tests. */
  DoubleDatacenter dc(String name) {
    DoubleDatacenter dc = datacenters.get(name);
    if (dc == null) {
      throw new IllegalArgumentException("no datacenter " + name);
    }
    return dc;
  }

  /** Turns ACLs on (default policy deny) with {@code token} as the only, management, token. */
  void enableAcl(String token) {
    this.managementToken = token;
  }

  /**
   * Adds a token with {@code service_prefix "" { policy = "read" }} but no node read: it lists the
   * catalog, but health reads are filtered to nothing, with {@code
   * X-Consul-Results-Filtered-By-ACLs}.
   */
  void addServiceOnlyToken(String token) {
    this.serviceOnlyToken = token;
  }

  /** Makes every call answer 500 "No cluster leader" ({@code true}) or serve again. */
  void leaderless(boolean on) {
    this.leaderless = on;
  }

  /** Returns the X-Consul-Token header of every request seen so far ("" when absent). */
  List<String> tokenHeaders() {
    return List.copyOf(tokenHeaders);
  }

  /**
   * Simulates a restart that restores every check as critical (TTL checks after a restart of a
   * persistent agent): stops for {@code downMillis}, marks every check critical, and listens again.
   */
  void restartWithChecksCritical(long downMillis) throws IOException, InterruptedException {
    stop();
    Thread.sleep(downMillis);
    datacenters.values().forEach(DoubleDatacenter::allChecksCritical);
    restart();
  }

  /** Returns every request seen so far, as {@code METHOD path?query}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  /** Simulates the agent going down: no listener, every connection and held query dropped. */
  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
      datacenters.values().forEach(dc -> dc.release(true));
    }
  }

  /** Listens again on the same port; the catalog (and its indexes) survived, as Raft data does. */
  synchronized void restart() throws IOException {
    if (server == null) {
      datacenters.values().forEach(dc -> dc.release(false));
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
    s.createContext("/", this::handle);
    s.start();
    server = s;
    port = s.getAddress().getPort();
  }

  private void handle(HttpExchange ex) {
    try {
      String query = ex.getRequestURI().getRawQuery();
      String path = ex.getRequestURI().getRawPath();
      requests.add(ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
      String tokenHeader = ex.getRequestHeaders().getFirst("X-Consul-Token");
      tokenHeaders.add(tokenHeader == null ? "" : tokenHeader);
      Map<String, String> q = params(query);
      if (leaderless) {
        text(ex, 500, "No cluster leader");
        return;
      }
      String dcName = q.getOrDefault("dc", "");
      DoubleDatacenter dc =
          dcName.isEmpty() ? datacenters.values().iterator().next() : datacenters.get(dcName);
      if (dc == null) {
        text(ex, 500, "No path to datacenter");
        return;
      }
      Access access = access(ex, q);
      if (access == Access.UNKNOWN_TOKEN) {
        text(ex, 403, "ACL not found");
        return;
      }
      route(ex, path, q, dc, access);
    } catch (IOException e) {
      // The client went away or the double is stopping; nothing to answer.
    } catch (RuntimeException e) {
      try {
        text(ex, 500, e.toString());
      } catch (IOException ignored) {
        // As above.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ex.close();
    }
  }

  private void route(
      HttpExchange ex, String path, Map<String, String> q, DoubleDatacenter dc, Access access)
      throws IOException, InterruptedException {
    String method = ex.getRequestMethod();
    Matcher health = HEALTH.matcher(path);
    if (path.equals("/v1/catalog/services") && method.equals("GET")) {
      block(dc, dc::servicesIndex, q);
      Object body = access == Access.ANONYMOUS ? Map.of() : dc.services();
      // Real Consul sends the filtered header only for a real token, never for the anonymous one.
      json(ex, 200, body, dc.servicesIndex(), false);
    } else if (health.matches() && method.equals("GET")) {
      String service = URLDecoder.decode(health.group(1), StandardCharsets.UTF_8);
      block(dc, () -> dc.serviceIndex(service), q);
      boolean passing = flag(q, "passing");
      List<Object> rows = new ArrayList<>();
      if (access == Access.FULL) {
        dc.health(service, passing).forEach(e -> rows.add(row(dc.name, e)));
      }
      boolean filtered = access == Access.NO_NODE_READ && !dc.health(service, passing).isEmpty();
      json(ex, 200, rows, dc.serviceIndex(service), filtered);
    } else if (path.equals("/v1/catalog/register") || path.equals("/v1/catalog/deregister")) {
      if (!method.equals("PUT")) {
        text(ex, 405, "method " + method + " not allowed");
        return;
      }
      JsonNode body = JSON.readTree(ex.getRequestBody());
      if (access == Access.ANONYMOUS) {
        text(
            ex,
            403,
            "Permission denied: anonymous token lacks permission 'node:write' on \""
                + body.path("Node").asText()
                + "\"");
        return;
      }
      write(ex, path.endsWith("/register"), body, dc);
    } else {
      text(ex, 404, "404 page not found");
    }
  }

  private void write(HttpExchange ex, boolean register, JsonNode body, DoubleDatacenter chosen)
      throws IOException {
    String dcName = body.path("Datacenter").asText("");
    DoubleDatacenter dc = dcName.isEmpty() ? chosen : datacenters.get(dcName);
    String node = body.path("Node").asText("");
    if (dc == null || node.isEmpty()) {
      text(ex, dc == null ? 500 : 400, dc == null ? "No path to datacenter" : "Missing node name");
      return;
    }
    try {
      if (register) {
        JsonNode svc = body.path("Service");
        if (svc.isObject()) {
          String service = svc.path("Service").asText();
          dc.register(
              node,
              body.path("Address").asText(),
              svc.path("ID").asText(service),
              service,
              svc.path("Address").asText(""),
              svc.path("Port").asInt(0),
              strings(svc.path("Tags")),
              map(svc.path("Meta")));
        } else {
          dc.register(
              node, body.path("Address").asText(), null, null, null, 0, List.of(), Map.of());
        }
        JsonNode check = body.path("Check");
        if (check.isObject()) {
          dc.registerCheck(
              node,
              check.path("CheckID").asText(),
              check.path("Name").asText(""),
              check.path("Status").asText("critical"),
              check.path("ServiceID").asText(""));
        }
      } else {
        dc.deregister(node, text(body, "ServiceID"), text(body, "CheckID"));
      }
    } catch (IllegalArgumentException e) {
      text(ex, 400, e.getMessage());
      return;
    }
    json(ex, 200, true, -1, false);
  }

  private static void block(DoubleDatacenter dc, LongSupplier index, Map<String, String> q)
      throws InterruptedException {
    long after = Long.parseLong(q.getOrDefault("index", "0"));
    if (after <= 0) {
      return;
    }
    long wait =
        Math.min(q.containsKey("wait") ? duration(q.get("wait")) : DEFAULT_WAIT_MS, MAX_WAIT_MS);
    wait += ThreadLocalRandom.current().nextLong(wait / 16 + 1);
    dc.await(index, after, System.nanoTime() + wait * 1_000_000);
  }

  /** Parses a Go duration such as {@code 30s}, {@code 1m30s} or {@code 250ms} into milliseconds. */
  static long duration(String s) {
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)").matcher(s);
    double ms = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException("bad duration " + s);
      }
      double v = Double.parseDouble(m.group(1));
      ms +=
          switch (m.group(2)) {
            case "ns" -> v / 1e6;
            case "us", "µs" -> v / 1e3;
            case "ms" -> v;
            case "s" -> v * 1e3;
            case "m" -> v * 60e3;
            default -> v * 3600e3;
          };
      end = m.end();
    }
    if (end != s.length() || end == 0) {
      throw new IllegalArgumentException("bad duration " + s);
    }
    return (long) ms;
  }

  private enum Access {
    FULL,
    ANONYMOUS,
    NO_NODE_READ,
    UNKNOWN_TOKEN
  }

  private Access access(HttpExchange ex, Map<String, String> q) {
    String required = managementToken;
    if (required == null) {
      return Access.FULL;
    }
    String token = ex.getRequestHeaders().getFirst("X-Consul-Token");
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if ((token == null || token.isEmpty()) && auth != null && auth.startsWith("Bearer ")) {
      token = auth.substring(7).trim();
    }
    if (token == null || token.isEmpty()) {
      token = q.getOrDefault("token", "");
    }
    if (token.isEmpty()) {
      return Access.ANONYMOUS;
    }
    if (token.equals(serviceOnlyToken)) {
      return Access.NO_NODE_READ;
    }
    return token.equals(required) ? Access.FULL : Access.UNKNOWN_TOKEN;
  }

  private static Map<String, Object> row(String dc, Entry e) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("ID", e.node().id());
    node.put("Node", e.node().name());
    node.put("Address", e.node().address());
    node.put("Datacenter", dc);
    node.put("TaggedAddresses", Map.of("lan", e.node().address(), "wan", e.node().address()));
    node.put("Meta", Map.of("consul-network-segment", ""));
    node.put("CreateIndex", e.node().createIndex());
    node.put("ModifyIndex", e.node().modifyIndex());
    Map<String, Object> svc = new LinkedHashMap<>();
    svc.put("ID", e.instance().id());
    svc.put("Service", e.instance().service());
    svc.put("Tags", e.instance().tags());
    svc.put("Address", e.instance().address());
    svc.put("TaggedAddresses", Map.of());
    svc.put("Meta", e.instance().meta());
    svc.put("Port", e.instance().port());
    svc.put("Weights", Map.of("Passing", 1, "Warning", 1));
    svc.put("EnableTagOverride", false);
    svc.put("Proxy", Map.of("Mode", "", "MeshGateway", Map.of(), "Expose", Map.of()));
    svc.put("Connect", Map.of());
    svc.put("PeerName", "");
    svc.put("CreateIndex", e.instance().createIndex());
    svc.put("ModifyIndex", e.instance().modifyIndex());
    List<Object> checks = new ArrayList<>();
    for (Check c : e.checks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Node", c.node());
      m.put("CheckID", c.checkId());
      m.put("Name", c.name());
      m.put("Status", c.status());
      m.put("Notes", "");
      m.put("Output", "");
      m.put("ServiceID", c.serviceId());
      m.put("ServiceName", c.serviceName());
      m.put("ServiceTags", c.serviceId().isEmpty() ? List.of() : e.instance().tags());
      m.put("Type", c.serviceId().isEmpty() ? "" : "ttl");
      m.put("Interval", "");
      m.put("Timeout", "");
      m.put("ExposedPort", 0);
      m.put("Definition", Map.of());
      m.put("CreateIndex", c.createIndex());
      m.put("ModifyIndex", c.modifyIndex());
      checks.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Node", node);
    out.put("Service", svc);
    out.put("Checks", checks);
    return out;
  }

  private static void json(HttpExchange ex, int status, Object body, long index, boolean filtered)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("Vary", "Accept-Encoding");
    if (index >= 0) {
      ex.getResponseHeaders().set("X-Consul-Index", Long.toString(Math.max(index, 1)));
      ex.getResponseHeaders().set("X-Consul-Knownleader", "true");
      ex.getResponseHeaders().set("X-Consul-Lastcontact", "0");
      ex.getResponseHeaders().set("X-Consul-Effective-Consistency", "leader");
    }
    if (filtered) {
      ex.getResponseHeaders().set("X-Consul-Results-Filtered-By-ACLs", "true");
    }
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static void text(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static Map<String, String> params(@Nullable String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  /** Consul reads a bare {@code ?passing} as true, as well as {@code passing=true|1}. */
  private static boolean flag(Map<String, String> q, String name) {
    String v = q.get(name);
    return v != null && (v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1"));
  }

  private static @Nullable String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static Map<String, String> map(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
