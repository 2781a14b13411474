package io.gangway.testing.nacos;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main port P: login (the client's {@code HttpLoginProcessor} tries {@code
 * /nacos/v3/auth/user/login}, then {@code /nacos/v1/auth/users/login}) and the parts of the v1 Open
 * API a 1.x-style client needs (see {@link HttpV1Routes}). Parameters come from the query string
 * and from a form body alike, as servlet parameters do. Unknown routes answer 404 and are recorded
 * as unhandled. One start, one stop; {@link NacosDouble} builds a new instance per restart.
 */
final class HttpApi {

  private static final Logger logger = LoggerFactory.getLogger(HttpApi.class);

  private final HttpV1Routes v1;
  private final AuthGate auth;
  private final AtomicBoolean available;
  private final Set<String> unhandled;
  private final ExecutorService executor;
  private @Nullable HttpServer server;

  HttpApi(
      HttpV1Routes v1,
      AuthGate auth,
      AtomicBoolean available,
      Set<String> unhandled,
      ExecutorService executor) {
    this.v1 = v1;
    this.auth = auth;
    this.available = available;
    this.unhandled = unhandled;
    this.executor = executor;
  }

  void start(int port) throws IOException {
    HttpServer s =
        HttpServer.create(
            new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 128);
    s.setExecutor(executor);
    s.createContext("/", this::handle);
    s.start();
    server = s;
  }

  void stop() {
    HttpServer s = server;
    server = null;
    if (s != null) {
      s.stop(0);
    }
  }

  private void handle(HttpExchange exchange) {
    try {
      Map<String, String> params = params(exchange);
      String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
      if (!available.get()) {
        send(exchange, 503, "server is starting, please try later.");
        return;
      }
      if (route.equals("POST /nacos/v3/auth/user/login")
          || route.equals("POST /nacos/v1/auth/users/login")
          || route.equals("POST /nacos/v1/auth/login")) {
        login(exchange, params);
        return;
      }
      if (!v1.handles(route)) {
        unhandled.add("HTTP " + route);
        logger.warn("UNHANDLED Nacos HTTP request {} {}", route, params);
        send(exchange, 404, "no such API in NacosDouble: " + route);
        return;
      }
      String rejection =
          auth.reject(
              name -> {
                String header = exchange.getRequestHeaders().getFirst(name);
                return header != null ? header : params.get(name);
              });
      if (rejection != null) {
        send(exchange, 403, rejection);
        return;
      }
      v1.handle(route, exchange, params);
    } catch (RuntimeException | IOException e) {
      logger.error("HTTP {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      send(exchange, 500, String.valueOf(e.getMessage()));
    }
  }

  private void login(HttpExchange exchange, Map<String, String> params) {
    String token;
    if (auth.enabled()) {
      token = auth.login(params.get("username"), params.get("password"));
    } else {
      token = "auth-disabled"; // the client never logs in when it has no username
    }
    if (token == null) {
      // Nacos 3.0.3 answers a wrong password 500 (v1 and v3 login) and an unknown user 403.
      send(exchange, auth.knowsUser(params.get("username")) ? 500 : 403, AuthGate.USER_NOT_FOUND);
      return;
    }
    ObjectNode body = Json.object();
    body.put("accessToken", token);
    body.put("tokenTtl", AuthGate.TOKEN_TTL_SECONDS);
    body.put("globalAdmin", true);
    body.put("username", params.getOrDefault("username", ""));
    exchange.getResponseHeaders().set("Authorization", "Bearer " + token);
    sendJson(exchange, 200, body);
  }

  private static Map<String, String> params(HttpExchange exchange) throws IOException {
    Map<String, String> params = new TreeMap<>();
    addForm(exchange.getRequestURI().getRawQuery(), params);
    byte[] body = exchange.getRequestBody().readAllBytes();
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (body.length > 0 && (contentType == null || contentType.contains("form-urlencoded"))) {
      addForm(new String(body, StandardCharsets.UTF_8), params);
    }
    return params;
  }

  private static void addForm(@Nullable String form, Map<String, String> into) {
    if (form == null || form.isEmpty()) {
      return;
    }
    for (String pair : form.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      into.putIfAbsent(name, value);
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  static void sendJson(HttpExchange exchange, int status, ObjectNode body) {
    exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
    send(exchange, status, new String(Json.bytes(body), StandardCharsets.UTF_8), false);
  }

  static void send(HttpExchange exchange, int status, String body) {
    send(exchange, status, body, true);
  }

  private static void send(HttpExchange exchange, int status, String body, boolean plain) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (plain && !exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "text/plain;charset=UTF-8");
    }
    try (OutputStream out = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        out.write(bytes);
      }
    } catch (IOException e) {
      logger.debug("client went away before the response: {}", e.toString());
    } finally {
      exchange.close();
    }
  }
}
