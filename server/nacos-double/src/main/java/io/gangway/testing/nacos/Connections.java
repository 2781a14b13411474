package io.gangway.testing.nacos;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's {@code ConnectionManager}: a connection exists once the client sent {@code
 * ConnectionSetupRequest} on its bi-stream, and ends when its HTTP/2 transport terminates. Server
 * pushes go down that bi-stream with a fresh {@code requestId}; the client acknowledges each with a
 * response carrying the same id. Disconnect observers run on the thread that ended the transport.
 * Thread-safe.
 */
final class Connections {

  private static final Logger logger = LoggerFactory.getLogger(Connections.class);

  /** How long a push may stay unacknowledged (the server's push callbacks use 3 s). */
  private static final long ACK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(3);

  record Meta(String id, String clientIp, String clientVersion, Map<String, String> labels) {
    Meta {
      requireNonNull(id, "id");
      labels = Map.copyOf(labels);
    }
  }

  private record Connection(Meta meta, StreamObserver<Payload> stream) {}

  private record PendingPush(String connectionId, String type, long sentNanos) {}

  private final ConcurrentMap<String, Connection> connections = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, PendingPush> pending = new ConcurrentHashMap<>();
  private final AtomicLong pushIds = new AtomicLong();
  private final List<Consumer<String>> disconnectObservers = new CopyOnWriteArrayList<>();

  void onDisconnect(Consumer<String> observer) {
    disconnectObservers.add(observer);
  }

  void register(Meta meta, StreamObserver<Payload> stream) {
    connections.put(meta.id(), new Connection(meta, stream));
    logger.debug(
        "connection {} registered: client {} {}", meta.id(), meta.clientIp(), meta.labels());
  }

  boolean isRegistered(String connectionId) {
    return connections.containsKey(connectionId);
  }

  Set<String> ids() {
    return Set.copyOf(connections.keySet());
  }

  void unregister(String connectionId) {
    Connection removed = connections.remove(connectionId);
    if (removed == null) {
      return;
    }
    pending.values().removeIf(p -> p.connectionId().equals(connectionId));
    logger.debug("connection {} unregistered", connectionId);
    for (Consumer<String> observer : disconnectObservers) {
      observer.accept(connectionId);
    }
  }

  /** Sends a server request that expects an acknowledgement; false if the connection is gone. */
  boolean push(String connectionId, String type, ObjectNode body) {
    String requestId = Long.toString(pushIds.incrementAndGet());
    body.put("requestId", requestId);
    pending.put(requestId, new PendingPush(connectionId, type, System.nanoTime()));
    if (!send(connectionId, type, body)) {
      pending.remove(requestId);
      return false;
    }
    logger.debug("[{}] -> {} (push id {})", connectionId, type, requestId);
    return true;
  }

  /** Sends a server request without requestId and without ack ({@code sendRequestNoAck}). */
  boolean sendNoAck(String connectionId, String type, ObjectNode body) {
    return send(connectionId, type, body);
  }

  /** A response that arrived on the bi-stream: the acknowledgement of one push. */
  void acknowledge(String connectionId, Payload response, JsonNode body) {
    String requestId = Json.text(body, "requestId");
    PendingPush push = pending.remove(requestId);
    if (push == null) {
      logger.warn(
          "[{}] unexpected {} for unknown push id '{}'", connectionId, response.type(), requestId);
      return;
    }
    logger.debug("[{}] <- {} (ack of push {})", connectionId, response.type(), requestId);
    if (!Json.text(body, "resultCode").equals(Integer.toString(Json.SUCCESS))) {
      logger.warn("[{}] client rejected {}: {}", connectionId, push.type(), response.bodyText());
    }
  }

  /** Forgets pushes the client never acknowledged, loudly; called periodically. */
  void expireUnacknowledged() {
    long now = System.nanoTime();
    pending
        .entrySet()
        .removeIf(
            e -> {
              boolean expired = now - e.getValue().sentNanos() > ACK_TIMEOUT_NANOS;
              if (expired) {
                logger.warn(
                    "[{}] push {} (id {}) was not acknowledged within 3 s",
                    e.getValue().connectionId(),
                    e.getValue().type(),
                    e.getKey());
              }
              return expired;
            });
  }

  private boolean send(String connectionId, String type, ObjectNode body) {
    Connection connection = connections.get(connectionId);
    if (connection == null) {
      return false;
    }
    Payload payload = new Payload(type, "127.0.0.1", Map.of(), Json.bytes(body));
    StreamObserver<Payload> stream = connection.stream();
    // StreamObserver is not thread-safe: one writer at a time per stream.
    synchronized (stream) {
      if (stream instanceof ServerCallStreamObserver<?> call && call.isCancelled()) {
        return false;
      }
      try {
        stream.onNext(payload);
        return true;
      } catch (RuntimeException e) {
        logger.warn("[{}] failed to send {}: {}", connectionId, type, e.toString());
        return false;
      }
    }
  }
}
