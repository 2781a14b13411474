package io.gangway.testing.nacos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unary {@code Request/request} service, in the order of the server's {@code
 * GrpcRequestAcceptor}: availability, {@code ServerCheckRequest}, handler lookup, registered
 * connection, JSON parse, auth filter ({@code @Secured} handlers only), handler. Each failure
 * answers with the same response type and codes as the real server. Unknown request types are
 * logged at WARN and recorded, so tests can assert that the client sent nothing the double does not
 * model. Thread-safe.
 */
final class RpcDispatcher {

  private static final Logger logger = LoggerFactory.getLogger(RpcDispatcher.class);

  // NacosException codes used by the acceptor itself.
  static final int INVALID_SERVER_STATUS = 300;
  static final int UN_REGISTER = 301;
  static final int NO_HANDLER = 302;
  static final int NO_RIGHT = 403;
  static final int BAD_GATEWAY = 502;

  /** What a handler sees of the call besides the body. */
  record CallMeta(String connectionId, String clientIp, Map<String, String> headers) {}

  @FunctionalInterface
  interface Handler {
    ObjectNode handle(JsonNode request, CallMeta meta) throws RpcException;
  }

  private record Route(String responseType, boolean secured, Handler handler) {}

  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
  private final Set<String> unhandled;
  private final Connections connections;
  private final AuthGate auth;
  private final AtomicBoolean available;

  RpcDispatcher(
      Connections connections, AuthGate auth, AtomicBoolean available, Set<String> unhandled) {
    this.connections = connections;
    this.auth = auth;
    this.available = available;
    this.unhandled = unhandled;
  }

  /** Routes {@code requestType}; {@code secured} handlers go through the auth filter first. */
  void register(String requestType, String responseType, boolean secured, Handler handler) {
    routes.put(requestType, new Route(responseType, secured, handler));
  }

  /** How many unary requests of {@code type} arrived, whatever their outcome. */
  long receivedCount(String type) {
    LongAdder count = received.get(type);
    return count == null ? 0 : count.sum();
  }

  Payload dispatch(Payload request, String connectionId) {
    String type = request.type();
    received.computeIfAbsent(type, t -> new LongAdder()).increment();
    if (!available.get()) {
      return errorResponse(INVALID_SERVER_STATUS, "Server is starting,please try later.");
    }
    if ("ServerCheckRequest".equals(type)) {
      ObjectNode body = Json.ok();
      body.put("connectionId", connectionId);
      body.put("supportAbilityNegotiation", true);
      return response("ServerCheckResponse", body);
    }
    Route route = routes.get(type);
    if (route == null) {
      unhandled.add(type);
      logger.warn(
          "UNHANDLED Nacos request type {} from {}: {}", type, connectionId, request.bodyText());
      return errorResponse(NO_HANDLER, "RequestHandler Not Found");
    }
    if (!connections.isRegistered(connectionId)) {
      logger.debug("[{}] {} on an unregistered connection", connectionId, type);
      return errorResponse(UN_REGISTER, "Connection is unregistered.");
    }
    JsonNode body;
    try {
      body = Json.parse(request.body());
    } catch (IOException e) {
      return errorResponse(
          BAD_GATEWAY, e.getMessage() == null ? "Invalid request" : e.getMessage());
    }
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(request.headers());
    if (route.secured()) {
      String rejection = auth.reject(headers::get);
      if (rejection != null) {
        logger.debug("[{}] {} denied: {}", connectionId, type, rejection);
        return response(route.responseType(), Json.fail(NO_RIGHT, rejection));
      }
    }
    try {
      ObjectNode answer =
          route.handler().handle(body, new CallMeta(connectionId, request.clientIp(), headers));
      return response(route.responseType(), answer);
    } catch (RpcException e) {
      return response("ErrorResponse", Json.error(e.code(), e.getMessage()));
    } catch (RuntimeException e) {
      logger.error("[{}] {} failed: {}", connectionId, type, request.bodyText(), e);
      return response("ErrorResponse", Json.error(Json.FAIL, String.valueOf(e.getMessage())));
    }
  }

  private static Payload errorResponse(int errorCode, String message) {
    return response("ErrorResponse", Json.fail(errorCode, message));
  }

  static Payload response(String type, ObjectNode body) {
    return new Payload(type, "", Map.of(), Json.bytes(body));
  }
}
