package io.gangway.testing.nacos;

import static java.util.Objects.requireNonNull;

import io.gangway.testing.nacos.NamingStore.InstanceRecord;
import io.gangway.testing.nacos.NamingStore.ServiceKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Nacos 2.x/3.x server that the real {@code nacos-client} talks to over its own gRPC
 * protocol, for tests. It serves the SDK gRPC port P+1000 (services {@code Request} and {@code
 * BiRequestStream}) and a small HTTP server on P (login plus a v1 Open API subset); {@link
 * #serverAddr()} is what a client's {@code serverAddr} property takes.
 *
 * <p>Modelled: connection setup and health checks; config query, publish (with CAS), remove, batch
 * listen and change pushes; ephemeral instance register, batch register, deregister, subscribe with
 * pushes, query and paged service list; optional username/password auth with access tokens. Not
 * modelled: gray (beta/tag) configs, persistent instances over gRPC, fuzzy watch, distributed lock,
 * AI/MCP, cluster sync, protection thresholds and selectors. A request type the double does not
 * know is answered as the server answers it ({@code NO_HANDLER}), logged at WARN and listed by
 * {@link #unhandledRequests()}.
 *
 * <p>Lifecycle: {@link #start()} listens at once; {@link #stop()} closes both ports as a crash
 * would (every connection drops, and so do the instances and subscriptions those connections owned,
 * exactly as the server forgets a closed connection's ephemeral data); {@link #restart()} listens
 * on the same ports again. Configs and the instances registered through this class or through HTTP
 * survive a stop. {@link #close()} is final and idempotent. All methods are thread-safe; the
 * test-side API works while stopped.
 */
public final class NacosDouble implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(NacosDouble.class);

  /** The SDK's default {@code nacos.server.grpc.port.offset}. */
  public static final int GRPC_PORT_OFFSET = 1000;

  private enum State {
    RUNNING,
    STOPPED,
    CLOSED
  }

  /** One instance as the double holds it; see {@link #instances(String, String, String)}. */
  public record RegisteredInstance(
      String ip,
      int port,
      double weight,
      boolean healthy,
      boolean enabled,
      String cluster,
      Map<String, String> metadata) {
    /** Copies {@code metadata}. */
    public RegisteredInstance {
      requireNonNull(ip, "ip");
      requireNonNull(cluster, "cluster");
      metadata = Map.copyOf(metadata);
    }
  }

  /** Options for {@link #start()}. Not thread-safe; use it once. */
  public static final class Builder {
    private @Nullable String username;
    private @Nullable String password;
    private Duration longPollingMinTimeout = Duration.ofSeconds(10);
    private Duration v1ReadAfterWriteDelay = Duration.ZERO;

    private Builder() {}

    /** Requires login with these credentials and an access token on every secured request. */
    public Builder auth(String username, String password) {
      this.username = requireNonNull(username, "username");
      this.password = requireNonNull(password, "password");
      return this;
    }

    /**
     * Lower bound of how long {@code POST /nacos/v1/cs/configs/listener} holds an unchanged request
     * (the server's {@code MIN_LONG_POOLING_TIMEOUT}, default 10 s). Tests of v1 clients may lower
     * it.
     */
    public Builder longPollingMinTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 0)");
      }
      this.longPollingMinTimeout = timeout;
      return this;
    }

    /**
     * How long a published config stays invisible to {@code GET /nacos/v1/cs/configs} (404), as on
     * a real 3.x server, where the v1 read path serves a dump that lags the write (a GET right
     * after a POST can 404). Default zero. gRPC reads are not delayed.
     */
    public Builder v1ReadAfterWriteDelay(Duration delay) {
      requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
      }
      this.v1ReadAfterWriteDelay = delay;
      return this;
    }

    /** Picks free ports P and P+1000 on 127.0.0.1 and starts listening on both. */
    public NacosDouble start() {
      return new NacosDouble(this);
    }
  }

  private final AuthGate auth;
  private final AtomicBoolean available = new AtomicBoolean(true);
  private final Set<String> unhandled = ConcurrentHashMap.newKeySet();
  private final ConfigStore configs = new ConfigStore();
  private final NamingStore naming = new NamingStore();
  private final Connections connections = new Connections();
  private final ExecutorService serverExecutor = Executors.newCachedThreadPool(daemon("server"));
  private final ExecutorService pushExecutor = Executors.newSingleThreadExecutor(daemon("push"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("timer"));
  private final RpcDispatcher dispatcher;
  private final ConfigLongPolling polling;
  private final HttpV1Routes v1;
  private final int port;

  private final Object lifecycle = new Object();
  private State state = State.STOPPED; // guarded by lifecycle
  private @Nullable GrpcTransport grpc; // guarded by lifecycle
  private @Nullable HttpApi http; // guarded by lifecycle

  private NacosDouble(Builder builder) {
    auth = new AuthGate(builder.username, builder.password);
    dispatcher = new RpcDispatcher(connections, auth, available, unhandled);
    dispatcher.register("HealthCheckRequest", "HealthCheckResponse", false, (r, m) -> Json.ok());
    new ConfigRpc(configs, connections, unhandled, pushExecutor).registerOn(dispatcher);
    new NamingRpc(naming, connections, pushExecutor).registerOn(dispatcher);
    polling = new ConfigLongPolling(configs, timer, builder.longPollingMinTimeout);
    v1 = new HttpV1Routes(configs, naming, polling, builder.v1ReadAfterWriteDelay);
    var unused =
        timer.scheduleWithFixedDelay(connections::expireUnacknowledged, 1, 1, TimeUnit.SECONDS);
    port = startOnFreePorts();
    logger.info("NacosDouble listening: HTTP 127.0.0.1:{}, gRPC 127.0.0.1:{}", port, grpcPort());
  }

  /** Starts a double without auth. */
  public static NacosDouble start() {
    return builder().start();
  }

  /** Options: auth, long-polling timeout. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code "127.0.0.1:P"}, the value for the client's {@code serverAddr}. */
  public String serverAddr() {
    return "127.0.0.1:" + port;
  }

  /** The main (HTTP) port P. */
  public int port() {
    return port;
  }

  /** The SDK gRPC port, P + 1000. */
  public int grpcPort() {
    return port + GRPC_PORT_OFFSET;
  }

  /**
   * Publishes a {@code text} config, pushing the change to listening clients if the MD5 changed.
   */
  public void publishConfig(String namespace, String group, String dataId, String content) {
    publishConfig(namespace, group, dataId, content, "text");
  }

  /** Publishes a config of the given Nacos type ({@code yaml}, {@code json}, …). */
  public void publishConfig(
      String namespace, String group, String dataId, String content, String type) {
    requireNonNull(content, "content");
    requireNonNull(type, "type");
    configs.publish(configKey(namespace, group, dataId), content, type, null);
  }

  /** Removes a config and notifies listeners; returns whether it existed. */
  public boolean removeConfig(String namespace, String group, String dataId) {
    return configs.remove(configKey(namespace, group, dataId));
  }

  /** The content, or null when absent. A blank namespace means {@code public}. */
  public @Nullable String getConfig(String namespace, String group, String dataId) {
    ConfigStore.Item item = configs.get(configKey(namespace, group, dataId));
    return item == null ? null : item.content();
  }

  /** The server-side MD5 (lower-case hex of the UTF-8 content), or null when absent. */
  public @Nullable String configMd5(String namespace, String group, String dataId) {
    ConfigStore.Item item = configs.get(configKey(namespace, group, dataId));
    return item == null ? null : item.md5();
  }

  /**
   * Registers an ephemeral instance in cluster {@code DEFAULT} as if its own application had
   * connected, and pushes the change to subscribers. Registering the same ip:port again replaces
   * it.
   */
  public void registerInstance(
      String namespace,
      String group,
      String service,
      String ip,
      int port,
      double weight,
      boolean healthy,
      Map<String, String> metadata) {
    ServiceKey key = serviceKey(namespace, group, service);
    requireNonNull(ip, "ip");
    requireNonNull(metadata, "metadata");
    String cluster = NamingStore.DEFAULT_CLUSTER;
    InstanceRecord record =
        new InstanceRecord(
            InstanceRecord.defaultId(ip, port, cluster, key),
            ip,
            port,
            weight,
            healthy,
            true,
            true,
            cluster,
            metadata);
    naming.publish(apiOwner(ip, port), key, List.of(record));
  }

  /** Removes an instance registered by {@link #registerInstance}; returns whether it existed. */
  public boolean deregisterInstance(
      String namespace, String group, String service, String ip, int port) {
    return naming.unpublish(
        apiOwner(requireNonNull(ip, "ip"), port), serviceKey(namespace, group, service));
  }

  /** Every instance of a service, whoever registered it (clients, HTTP, this class). */
  public List<RegisteredInstance> instances(String namespace, String group, String service) {
    return naming.instances(serviceKey(namespace, group, service)).stream()
        .map(
            i ->
                new RegisteredInstance(
                    i.ip(),
                    i.port(),
                    i.weight(),
                    i.healthy(),
                    i.enabled(),
                    i.cluster(),
                    i.metadata()))
        .toList();
  }

  /** Connections that completed setup and have not closed. */
  public int connectionCount() {
    return connections.ids().size();
  }

  /**
   * How many gRPC requests of one type (the client's class simple name, e.g. {@code
   * HealthCheckRequest}) arrived since start, whatever their outcome.
   */
  public long requestCount(String requestType) {
    return dispatcher.receivedCount(requireNonNull(requestType, "requestType"));
  }

  /**
   * Request types, bi-stream payloads, HTTP routes and unsupported variants (e.g. gray publish)
   * that the double received but does not model. Tests should assert this stays empty.
   */
  public Set<String> unhandledRequests() {
    return Set.copyOf(unhandled);
  }

  /** Long-polling listener requests currently held; for this package's tests. */
  int heldLongPolls() {
    return polling.held();
  }

  /**
   * When false, every gRPC request (including {@code ServerCheckRequest}) is answered {@code
   * INVALID_SERVER_STATUS} "Server is starting", and HTTP with 503, as a server that is not up yet.
   */
  public void setAvailable(boolean isAvailable) {
    available.set(isAvailable);
  }

  /**
   * Forgets every access token issued so far, as a server whose token secret changed (or a token
   * that expired) would: the next secured request answers 403 until the client logs in again.
   */
  public void revokeTokens() {
    auth.revokeAll();
  }

  /** Closes both ports, dropping every connection; state is kept. No-op unless running. */
  public void stop() {
    synchronized (lifecycle) {
      if (state != State.RUNNING) {
        return;
      }
      stopTransports();
      state = State.STOPPED;
    }
    logger.info("NacosDouble {} stopped", serverAddr());
  }

  /** Listens again on the same two ports. No-op while running. */
  public void restart() {
    synchronized (lifecycle) {
      if (state == State.CLOSED) {
        throw new IllegalStateException("NacosDouble is closed");
      }
      if (state == State.RUNNING) {
        return;
      }
      IOException last = null;
      for (int attempt = 0; attempt < 40; attempt++) {
        try {
          startTransports(port);
          logger.info("NacosDouble {} restarted", serverAddr());
          return;
        } catch (IOException e) {
          last = e;
          sleepQuietly(50); // the old listener may take a moment to release the port
        }
      }
      throw new UncheckedIOException("cannot listen on ports " + port + "/" + grpcPort(), last);
    }
  }

  /** Stops the double for good. Idempotent. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (state == State.CLOSED) {
        return;
      }
      if (state == State.RUNNING) {
        stopTransports();
      }
      state = State.CLOSED;
    }
    timer.shutdownNow();
    pushExecutor.shutdownNow();
    serverExecutor.shutdownNow();
  }

  @Override
  public String toString() {
    return "NacosDouble{" + serverAddr() + ", auth=" + auth.enabled() + "}";
  }

  private int startOnFreePorts() {
    IOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      int candidate;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        candidate = probe.getLocalPort();
      } catch (IOException e) {
        last = e;
        continue;
      }
      if (candidate + GRPC_PORT_OFFSET > 65_535) {
        continue;
      }
      synchronized (lifecycle) {
        try {
          startTransports(candidate);
          return candidate;
        } catch (IOException e) {
          last = e; // P+1000 was taken: try another P
        }
      }
    }
    throw new UncheckedIOException("no free port pair P, P+1000 on 127.0.0.1", last);
  }

  private void startTransports(int mainPort) throws IOException {
    GrpcTransport g = new GrpcTransport(dispatcher, connections, unhandled, serverExecutor);
    HttpApi h = new HttpApi(v1, auth, available, unhandled, serverExecutor);
    g.start(mainPort + GRPC_PORT_OFFSET);
    try {
      h.start(mainPort);
    } catch (IOException e) {
      g.stop();
      throw e;
    }
    grpc = g;
    http = h;
    state = State.RUNNING;
  }

  private void stopTransports() {
    polling.releaseAll();
    if (http != null) {
      http.stop();
      http = null;
    }
    if (grpc != null) {
      grpc.stop();
      grpc = null;
    }
    // Transport termination normally did this already.
    connections.ids().forEach(connections::unregister);
  }

  private static String apiOwner(String ip, int port) {
    return "api:" + ip + ":" + port;
  }

  private static ConfigStore.Key configKey(String namespace, String group, String dataId) {
    return ConfigStore.Key.of(
        requireNonNull(namespace, "namespace"),
        requireNonNull(group, "group"),
        requireNonNull(dataId, "dataId"));
  }

  private static ServiceKey serviceKey(String namespace, String group, String service) {
    return ServiceKey.of(
        requireNonNull(namespace, "namespace"),
        requireNonNull(group, "group"),
        requireNonNull(service, "service"));
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String role) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread =
          new Thread(runnable, "nacos-double-" + role + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
