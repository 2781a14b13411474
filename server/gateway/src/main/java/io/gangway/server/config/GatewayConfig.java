package io.gangway.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GatewayConfig} is {@code conf/gangway.yaml}. Every field has a default, so an empty file
 * is a valid configuration serving the routes in {@code conf/routes/}. Defaults bind every control
 * port to loopback; only the gateway listeners face the network.
 */
public record GatewayConfig(
    @JsonProperty("gateway") Gateway gateway,
    @JsonProperty("xds") Endpoint xds,
    @JsonProperty("admin") Endpoint admin,
    @JsonProperty("envoy") Envoy envoy,
    @JsonProperty("routes") Routes routes,
    @JsonProperty("upstream") Upstream upstream) {

  /** The configuration without an {@code upstream} section (its defaults apply). */
  public GatewayConfig(Gateway gateway, Endpoint xds, Endpoint admin, Envoy envoy, Routes routes) {
    this(gateway, xds, admin, envoy, routes, null);
  }

  /** Applies defaults. */
  public GatewayConfig {
    gateway =
        gateway == null
            ? new Gateway(null, null, null, null, null, null, null, null, null, null, null, null)
            : gateway;
    xds = xds == null ? new Endpoint(null, 15010) : xds.withDefaultPort(15010);
    admin = admin == null ? new Endpoint(null, 15020) : admin.withDefaultPort(15020);
    envoy =
        envoy == null
            ? new Envoy(null, null, null, null, null, null, null, null, null, null)
            : envoy;
    routes = routes == null ? new Routes(null, null, null, null, null, null) : routes;
    upstream = upstream == null ? new Upstream(null, null, null) : upstream;
  }

  /**
   * Resilience defaults for every route and cluster (docs/routing.md#upstream-failures).
   *
   * @param retries retries of requests that never reached the application; 0 disables retries
   * @param retryOn Envoy retry conditions; only ones safe for every method are accepted
   * @param outlierDetection passive ejection of endpoints that fail with gateway errors
   * @param healthChecks optional active health checks, by service host pattern; none by default
   * @param retryIdempotentOnReset whether GET, HEAD, OPTIONS, TRACE, PUT and DELETE requests are
   *     also retried when the connection is reset after they were sent (the keep-alive close race);
   *     default true, with {@code retries > 0}
   */
  public record Upstream(
      @JsonProperty("retries") Integer retries,
      @JsonProperty("retryOn") List<String> retryOn,
      @JsonProperty("outlierDetection") OutlierDetection outlierDetection,
      @JsonProperty("healthChecks") List<HealthCheck> healthChecks,
      @JsonProperty("retryIdempotentOnReset") Boolean retryIdempotentOnReset) {

    /** Returns the settings without active health checks. */
    public Upstream(Integer retries, List<String> retryOn, OutlierDetection outlierDetection) {
      this(retries, retryOn, outlierDetection, null, null);
    }

    /** Applies defaults (2 retries on connect-failure, refused-stream, reset-before-request). */
    public Upstream {
      retries = retries == null ? 2 : retries;
      retryOn =
          retryOn == null ? io.gangway.xds.UpstreamDefaults.SAFE_RETRY_ON : List.copyOf(retryOn);
      for (String c : retryOn) {
        if (!io.gangway.xds.UpstreamDefaults.SAFE_RETRY_ON.contains(c)) {
          throw new IllegalArgumentException(
              "upstream.retryOn: "
                  + c
                  + " (expected: any of "
                  + io.gangway.xds.UpstreamDefaults.SAFE_RETRY_ON
                  + "; conditions that may repeat a request the application saw belong in a route's retry policy)");
        }
      }
      outlierDetection =
          outlierDetection == null
              ? new OutlierDetection(null, null, null, null, null)
              : outlierDetection;
      healthChecks = healthChecks == null ? List.of() : List.copyOf(healthChecks);
      retryIdempotentOnReset = retryIdempotentOnReset == null || retryIdempotentOnReset;
      toDefaults(
          retries, retryOn, outlierDetection, healthChecks, retryIdempotentOnReset); // validates
    }

    /** Returns these settings for the xDS translator. */
    public io.gangway.xds.UpstreamDefaults toDefaults() {
      return toDefaults(retries, retryOn, outlierDetection, healthChecks, retryIdempotentOnReset);
    }

    private static io.gangway.xds.UpstreamDefaults toDefaults(
        int retries,
        List<String> retryOn,
        OutlierDetection o,
        List<HealthCheck> checks,
        boolean idempotentOnReset) {
      List<io.gangway.xds.UpstreamDefaults.HealthCheck> hc = new java.util.ArrayList<>();
      for (int i = 0; i < checks.size(); i++) {
        HealthCheck c = checks.get(i);
        String at = "upstream.healthChecks[" + i + "]";
        hc.add(
            new io.gangway.xds.UpstreamDefaults.HealthCheck(
                c.hosts(),
                c.path(),
                Durations.parse(at + ".interval", c.interval()),
                Durations.parse(at + ".timeout", c.timeout()),
                c.unhealthyThreshold(),
                c.healthyThreshold()));
      }
      return new io.gangway.xds.UpstreamDefaults(
          retries,
          String.join(",", retryOn),
          o.enabled(),
          o.consecutiveGatewayErrors(),
          Durations.parse("upstream.outlierDetection.interval", o.interval()),
          Durations.parse("upstream.outlierDetection.baseEjectionTime", o.baseEjectionTime()),
          o.maxEjectionPercent(),
          hc,
          idempotentOnReset);
    }
  }

  /**
   * One active health check of {@link Upstream} (docs/routing.md#upstream-failures).
   *
   * @param hosts the service hosts it applies to; {@code *} matches any characters
   * @param path the path asked for; 200-299 is healthy
   * @param interval between checks, default 5s
   * @param timeout of one check, default 1s
   * @param unhealthyThreshold failures in a row that mark an endpoint unhealthy, default 3
   * @param healthyThreshold successes in a row that mark it healthy again, default 2
   */
  public record HealthCheck(
      @JsonProperty("hosts") String hosts,
      @JsonProperty("path") String path,
      @JsonProperty("interval") String interval,
      @JsonProperty("timeout") String timeout,
      @JsonProperty("unhealthyThreshold") Integer unhealthyThreshold,
      @JsonProperty("healthyThreshold") Integer healthyThreshold) {

    /** Applies the defaults; {@code hosts} and {@code path} are required. */
    public HealthCheck {
      if (hosts == null || path == null) {
        throw new IllegalArgumentException(
            "upstream.healthChecks[]: hosts and path are required (expected e.g. {hosts: '*.static', path: /healthz})");
      }
      interval = interval == null ? "5s" : interval;
      timeout = timeout == null ? "1s" : timeout;
      unhealthyThreshold = unhealthyThreshold == null ? 3 : unhealthyThreshold;
      healthyThreshold = healthyThreshold == null ? 2 : healthyThreshold;
    }
  }

  /** Passive outlier detection settings of {@link Upstream}. */
  public record OutlierDetection(
      @JsonProperty("enabled") Boolean enabled,
      @JsonProperty("consecutiveGatewayErrors") Integer consecutiveGatewayErrors,
      @JsonProperty("interval") String interval,
      @JsonProperty("baseEjectionTime") String baseEjectionTime,
      @JsonProperty("maxEjectionPercent") Integer maxEjectionPercent) {

    /** Applies defaults: on, 3 errors, evaluated every 5 s, 30 s ejection, at most 50 % ejected. */
    public OutlierDetection {
      enabled = enabled == null || enabled;
      consecutiveGatewayErrors = consecutiveGatewayErrors == null ? 3 : consecutiveGatewayErrors;
      interval = interval == null ? "5s" : interval;
      baseEjectionTime = baseEjectionTime == null ? "30s" : baseEjectionTime;
      maxEjectionPercent = maxEjectionPercent == null ? 50 : maxEjectionPercent;
    }
  }

  /** The gateway's own listeners and HTTP behaviour. */
  public record Gateway(
      @JsonProperty("listeners") List<Endpoint> listeners,
      @JsonProperty("accessLog") @Nullable String accessLog,
      @JsonProperty("xffNumTrustedHops") Integer xffNumTrustedHops,
      @JsonProperty("requestHeadersTimeout") String requestHeadersTimeout,
      @JsonProperty("idleTimeout") String idleTimeout,
      @JsonProperty("streamIdleTimeout") String streamIdleTimeout,
      @JsonProperty("maxRequestHeadersKb") Integer maxRequestHeadersKb,
      @JsonProperty("connectTimeout") String connectTimeout,
      @JsonProperty("ingressClass") String ingressClass,
      @JsonProperty("escapedSlashes") String escapedSlashes,
      @JsonProperty("tls") Tls tls,
      @JsonProperty("accessLogFormat") String accessLogFormat) {

    /**
     * Applies defaults: one listener on 0.0.0.0:8080, access log in {@code logs/access.log}, no TLS
     * listener.
     */
    public Gateway {
      listeners =
          listeners == null || listeners.isEmpty()
              ? List.of(new Endpoint("0.0.0.0", 8080))
              : listeners.stream().map(l -> l.withDefaultAddress("0.0.0.0")).toList();
      accessLog = accessLog == null ? "logs/access.log" : accessLog;
      accessLogFormat = accessLogFormat == null ? "json" : accessLogFormat;
      xffNumTrustedHops = xffNumTrustedHops == null ? 0 : xffNumTrustedHops;
      requestHeadersTimeout = requestHeadersTimeout == null ? "10s" : requestHeadersTimeout;
      idleTimeout = idleTimeout == null ? "1h" : idleTimeout;
      streamIdleTimeout = streamIdleTimeout == null ? "5m" : streamIdleTimeout;
      maxRequestHeadersKb = maxRequestHeadersKb == null ? 60 : maxRequestHeadersKb;
      connectTimeout = connectTimeout == null ? "5s" : connectTimeout;
      ingressClass = ingressClass == null ? "" : ingressClass;
      escapedSlashes = escapedSlashes == null ? "unescape-and-redirect" : escapedSlashes;
      if (!io.gangway.xds.ListenerSettings.ESCAPED_SLASHES.contains(escapedSlashes)) {
        throw new IllegalArgumentException(
            "gateway.escapedSlashes: "
                + escapedSlashes
                + " (expected: one of "
                + io.gangway.xds.ListenerSettings.ESCAPED_SLASHES
                + ")");
      }
      Durations.parse("gateway.requestHeadersTimeout", requestHeadersTimeout);
      Durations.parse("gateway.idleTimeout", idleTimeout);
      Durations.parse("gateway.streamIdleTimeout", streamIdleTimeout);
      Durations.parse("gateway.connectTimeout", connectTimeout);
      if (xffNumTrustedHops < 0) {
        throw new IllegalArgumentException(
            "gateway.xffNumTrustedHops: " + xffNumTrustedHops + " (expected: >= 0)");
      }
      if (maxRequestHeadersKb < 1 || maxRequestHeadersKb > 8192) {
        throw new IllegalArgumentException(
            "gateway.maxRequestHeadersKb: " + maxRequestHeadersKb + " (expected: 1-8192)");
      }
      tls = tls == null ? new Tls(null, null, null) : tls;
      java.util.Set<Integer> ports = new java.util.HashSet<>();
      listeners.forEach(l -> ports.add(l.port()));
      for (Endpoint l : tls.listeners()) {
        if (!ports.add(l.port())) {
          throw new IllegalArgumentException(
              "gateway.tls.listeners: port "
                  + l.port()
                  + " is also another listener (expected: a port of its own)");
        }
      }
    }
  }

  /**
   * HTTPS: the TLS listeners and the certificates read from PEM files (paths relative to the
   * directory of {@code gangway.yaml}). Route documents add certificates of their own ({@code
   * kubernetes.io/tls} Secrets named by Ingress {@code spec.tls}), which take precedence for their
   * hosts.
   *
   * @param listeners TLS listeners; none by default, so nothing listens for HTTPS
   * @param defaultCertificate served for server names no certificate names, and to clients without
   *     SNI
   * @param certificates certificates for the hosts they list
   */
  public record Tls(
      @JsonProperty("listeners") List<Endpoint> listeners,
      @JsonProperty("defaultCertificate") @Nullable CertificateFiles defaultCertificate,
      @JsonProperty("certificates") List<CertificateFiles> certificates) {

    /** Applies defaults and checks that every host is listed once. */
    public Tls {
      listeners =
          listeners == null
              ? List.of()
              : listeners.stream().map(l -> l.withDefaultAddress("0.0.0.0")).toList();
      certificates = certificates == null ? List.of() : List.copyOf(certificates);
      java.util.Set<String> hosts = new java.util.HashSet<>();
      for (CertificateFiles c : certificates) {
        if (c.hosts().isEmpty()) {
          throw new IllegalArgumentException(
              "gateway.tls.certificates[].hosts: [] (expected: at least one host;"
                  + " use defaultCertificate for all others)");
        }
        for (String h : c.hosts()) {
          if (!HOST.matcher(h).matches()) {
            throw new IllegalArgumentException(
                "gateway.tls.certificates[].hosts: '"
                    + h
                    + "' (expected: a lower-case DNS name, optionally starting with '*.')");
          }
          if (!hosts.add(h)) {
            throw new IllegalArgumentException(
                "gateway.tls.certificates[].hosts: "
                    + h
                    + " is listed twice (expected: one certificate per host)");
          }
        }
      }
    }
  }

  private static final java.util.regex.Pattern HOST =
      java.util.regex.Pattern.compile(
          "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  /**
   * A certificate chain and its private key, as PEM files.
   *
   * @param hosts the server names it serves (unused for the default certificate)
   * @param cert the certificate chain file: the server certificate first, then intermediates
   * @param key the private key file (unencrypted; readable by the gateway user only, ideally)
   */
  public record CertificateFiles(
      @JsonProperty("hosts") List<String> hosts,
      @JsonProperty("cert") String cert,
      @JsonProperty("key") String key) {

    /** Requires both files. */
    public CertificateFiles {
      hosts = hosts == null ? List.of() : List.copyOf(hosts);
      if (cert == null || cert.isBlank() || key == null || key.isBlank()) {
        throw new IllegalArgumentException(
            "gateway.tls: a certificate needs both cert and key (PEM file paths)");
      }
    }
  }

  /** A bind address and port. */
  public record Endpoint(
      @JsonProperty("address") String address, @JsonProperty("port") Integer port) {

    /** Applies the loopback default and checks the port. */
    public Endpoint {
      address = address == null || address.isBlank() ? "127.0.0.1" : address;
      if (port != null && (port < 1 || port > 65535)) {
        throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
      }
    }

    Endpoint withDefaultPort(int p) {
      return port == null ? new Endpoint(address, p) : this;
    }

    Endpoint withDefaultAddress(String a) {
      if (port == null) {
        throw new IllegalArgumentException("gateway.listeners[].port is required");
      }
      return this;
    }
  }

  /** How the supervisor runs Envoy; the admin API is loopback-only by construction. */
  public record Envoy(
      @JsonProperty("admin") Endpoint admin,
      @JsonProperty("baseId") Integer baseId,
      @JsonProperty("concurrency") Integer concurrency,
      @JsonProperty("drainSeconds") Integer drainSeconds,
      @JsonProperty("logLevel") String logLevel,
      @JsonProperty("maxConnections") Integer maxConnections,
      @JsonProperty("nodeId") @Nullable String nodeId,
      @JsonProperty("nodeCluster") String nodeCluster,
      @JsonProperty("xdsProtocol") String xdsProtocol,
      @JsonProperty("stats") Endpoint stats) {

    /**
     * Applies defaults; {@code stats} (the listener serving only {@code GET /stats/prometheus})
     * defaults to 127.0.0.1:15090.
     */
    public Envoy {
      admin = admin == null ? new Endpoint(null, 15000) : admin.withDefaultPort(15000);
      stats = stats == null ? new Endpoint(null, 15090) : stats.withDefaultPort(15090);
      concurrency = concurrency == null ? 0 : concurrency;
      drainSeconds = drainSeconds == null ? 15 : drainSeconds;
      logLevel = logLevel == null ? "info" : logLevel;
      maxConnections = maxConnections == null ? 50_000 : maxConnections;
      nodeCluster = nodeCluster == null ? "gangway" : nodeCluster;
      xdsProtocol = xdsProtocol == null ? "delta" : xdsProtocol;
      if (!xdsProtocol.equals("delta") && !xdsProtocol.equals("sotw")) {
        throw new IllegalArgumentException(
            "envoy.xdsProtocol: " + xdsProtocol + " (expected: delta or sotw)");
      }
      if (drainSeconds < 0) {
        throw new IllegalArgumentException(
            "envoy.drainSeconds: " + drainSeconds + " (expected: >= 0)");
      }
    }

    /**
     * Returns the Envoy {@code --base-id}: configured, else the admin port (unique per host by
     * necessity).
     */
    public int effectiveBaseId() {
      return baseId != null ? baseId : admin.port();
    }
  }

  /** Where routes come from. */
  public record Routes(
      @JsonProperty("source") String source,
      @JsonProperty("paths") List<String> paths,
      @JsonProperty("debounce") String debounce,
      @JsonProperty("initialLoadTimeout") String initialLoadTimeout,
      @JsonProperty("pollInterval") String pollInterval,
      @JsonProperty("nacos") @Nullable Nacos nacos) {

    /** Applies defaults: the file source reading {@code conf/routes}. */
    public Routes {
      source = source == null ? "file" : source;
      paths = paths == null || paths.isEmpty() ? List.of("routes") : List.copyOf(paths);
      debounce = debounce == null ? "100ms" : debounce;
      initialLoadTimeout = initialLoadTimeout == null ? "30s" : initialLoadTimeout;
      pollInterval = pollInterval == null ? "5s" : pollInterval;
      if (!source.equals("file") && !source.equals("nacos")) {
        throw new IllegalArgumentException(
            "routes.source: " + source + " (expected: file or nacos)");
      }
      if (source.equals("nacos") && nacos == null) {
        throw new IllegalArgumentException("routes.nacos is required when routes.source is nacos");
      }
      Durations.parse("routes.debounce", debounce);
      Durations.parse("routes.initialLoadTimeout", initialLoadTimeout);
      Durations.parse("routes.pollInterval", pollInterval);
    }

    /** Returns the debounce window. */
    public Duration debounceDuration() {
      return Durations.parse("routes.debounce", debounce);
    }

    /** Returns how long start-up waits for the first complete load. */
    public Duration initialLoadDuration() {
      return Durations.parse("routes.initialLoadTimeout", initialLoadTimeout);
    }

    /** Returns the safety-net rescan interval of the file source. */
    public Duration pollDuration() {
      return Durations.parse("routes.pollInterval", pollInterval);
    }
  }

  /**
   * The Nacos config center as route source ({@code docs/nacos.md}). Passwords and secret keys are
   * never in this file: they come from {@code $NACOS_PASSWORD} and {@code $NACOS_SECRET_KEY}.
   */
  public record Nacos(
      @JsonProperty("serverAddr") String serverAddr,
      @JsonProperty("namespace") String namespace,
      @JsonProperty("layout") String layout,
      @JsonProperty("group") String group,
      @JsonProperty("dataIds") List<String> dataIds,
      @JsonProperty("username") @Nullable String username,
      @JsonProperty("accessKey") @Nullable String accessKey,
      @JsonProperty("encryptionKeyFile") @Nullable String encryptionKeyFile,
      @JsonProperty("resync") String resync,
      @JsonProperty("timeout") String timeout) {

    /**
     * Applies defaults: namespace {@code public} (higress layout: {@code higress-system}), group
     * DEFAULT_GROUP.
     */
    public Nacos {
      if (serverAddr == null || serverAddr.isBlank()) {
        throw new IllegalArgumentException(
            "routes.nacos.serverAddr is required (e.g. 127.0.0.1:8848)");
      }
      layout = layout == null ? "simple" : layout;
      namespace =
          namespace == null || namespace.isEmpty()
              ? (layout.equals("higress") ? "higress-system" : "public")
              : namespace;
      group = group == null ? "DEFAULT_GROUP" : group;
      dataIds = dataIds == null ? List.of() : List.copyOf(dataIds);
      resync = resync == null ? "30s" : resync;
      timeout = timeout == null ? "3s" : timeout;
      Durations.parse("routes.nacos.resync", resync);
      Durations.parse("routes.nacos.timeout", timeout);
    }
  }

  /** Parses a duration field (for the gateway durations). */
  public static Duration duration(String field, String value) {
    return Durations.parse(field, value);
  }
}
