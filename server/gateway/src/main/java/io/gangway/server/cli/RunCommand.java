package io.gangway.server.cli;

import io.gangway.bootstrap.BootstrapRenderer;
import io.gangway.bootstrap.BootstrapSpec;
import io.gangway.ingress.IngressTranslator;
import io.gangway.route.nacos.NacosRouteSource;
import io.gangway.route.nacos.NacosSourceSettings;
import io.gangway.server.Settings;
import io.gangway.server.admin.AdminResource;
import io.gangway.server.admin.AdminServer;
import io.gangway.server.admin.ClustersResource;
import io.gangway.server.admin.EnvoyAdminClient;
import io.gangway.server.admin.RoutesResource;
import io.gangway.server.ads.SnapshotPublisher;
import io.gangway.server.ads.XdsServer;
import io.gangway.server.config.ConfigException;
import io.gangway.server.config.ConfigLoader;
import io.gangway.server.config.GatewayConfig;
import io.gangway.server.metrics.GatewayMetrics;
import io.gangway.server.pipeline.Pipeline;
import io.gangway.server.registry.RegistryManager;
import io.gangway.server.source.file.FileRouteSource;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.spi.route.RouteSource;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gangway run}: the control-plane process. Loads the configuration and the routes, publishes
 * the first complete snapshot, and only then opens the xDS port and writes {@code gangway.ready},
 * so an Envoy (new, or reconnecting after a JVM restart) never receives an empty or partial config.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the control plane (the supervisor starts Envoy).")
public final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--conf",
      description = "gangway.yaml (default: ${DEFAULT-VALUE})",
      defaultValue = "conf/gangway.yaml")
  Path conf = Path.of("conf/gangway.yaml");

  @Option(
      names = "--run-dir",
      description = "where to write the Envoy bootstrap and readiness files",
      defaultValue = "run")
  Path runDir = Path.of("run");

  @Option(
      names = "--data-dir",
      description = "where to keep the last good routes",
      defaultValue = "data")
  Path dataDir = Path.of("data");

  @Option(
      names = "--preflight-ports",
      description = "fail fast when a gateway listener or the Envoy admin port is taken")
  boolean preflightPorts;

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    try {
      start();
    } catch (StartupException e) {
      System.err.println("gangway: error: " + e.getMessage());
      closeAll();
      return e.exitCode();
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  closeAll();
                  try {
                    Files.deleteIfExists(runDir.resolve(RunFiles.READY));
                  } catch (IOException e) {
                    log.debug("removing ready file", e);
                  }
                  stop.countDown();
                },
                "gangway-shutdown"));
    stop.await();
    return 0;
  }

  private void start() throws Exception {
    GatewayConfig config;
    try {
      config = ConfigLoader.load(conf);
    } catch (ConfigException e) {
      throw new StartupException(StartupException.CONFIG, e.getMessage());
    }
    Settings settings = Settings.of(config, conf);
    String adminToken = adminToken(config);
    // nacos-client (route source, nacos2/3 registries) writes its own logs and cache files; keep
    // them
    // inside the install instead of the user's home directory.
    System.setProperty(
        "JM.LOG.PATH",
        System.getProperty(
            "JM.LOG.PATH", settings.home().resolve("logs").resolve("nacos").toString()));
    System.setProperty(
        "JM.SNAPSHOT.PATH",
        System.getProperty(
            "JM.SNAPSHOT.PATH", dataDir.toAbsolutePath().resolve("nacos").toString()));
    // nacos-client's own logback setup does not load on logback 1.6; route its logs through ours.
    System.setProperty(
        "nacos.logging.default.config.enabled",
        System.getProperty("nacos.logging.default.config.enabled", "false"));
    BootstrapSpec probe;
    try {
      probe = settings.bootstrap(config.xds().port());
    } catch (IllegalArgumentException e) {
      throw new StartupException(StartupException.CONFIG, conf + ": " + e.getMessage());
    }
    if (preflightPorts) {
      for (GatewayConfig.Endpoint l : config.gateway().listeners()) {
        checkFree(l.address(), l.port(), "gateway listener");
      }
      for (GatewayConfig.Endpoint l : config.gateway().tls().listeners()) {
        checkFree(l.address(), l.port(), "gateway TLS listener");
      }
      checkFree(probe.adminAddress(), probe.adminPort(), "Envoy admin (envoy.admin)");
    }
    for (var l : settings.listeners()) {
      if (l.accessLogPath() != null) {
        // Envoy rejects a listener whose access log cannot be opened; create the directory up
        // front.
        Files.createDirectories(Path.of(l.accessLogPath()).getParent());
      }
    }
    RouteSource source = routeSource(config, settings);

    SnapshotPublisher publisher = new SnapshotPublisher();
    AtomicReference<@Nullable Pipeline> pipelineRef = new AtomicReference<>();
    RegistryManager registries =
        new RegistryManager(
            RegistryManager.loadProviders(),
            () -> {
              Pipeline p = pipelineRef.get();
              if (p != null) {
                p.endpointsChanged();
              }
            });
    closeables.add(registries);
    java.util.Map<Integer, String> control = new java.util.LinkedHashMap<>();
    control.putIfAbsent(probe.adminPort(), "Envoy admin (envoy.admin.port)");
    control.putIfAbsent(config.xds().port(), "xDS (xds.port)");
    control.putIfAbsent(config.admin().port(), "Gangway admin (admin.port)");
    registries.reserve(io.gangway.server.registry.ControlPorts.of(control));
    Pipeline pipeline =
        new Pipeline(
            new IngressTranslator(config.gateway().ingressClass()),
            settings.xdsTranslator(),
            registries,
            publisher,
            dataDir,
            config.routes().debounceDuration());
    pipeline.reportRouteCountTo(runDir.resolve(RunFiles.ROUTES));
    pipelineRef.set(pipeline);
    closeables.add(pipeline);

    InitialRoutes first = new InitialRoutes(pipeline);
    source.start(first);
    closeables.add(0, source);
    RouteSnapshot initial = first.await(config.routes().initialLoadDuration());
    String from = source.describe();
    if (initial == null) {
      // The source cannot be read (e.g. Nacos is down): serve what was served last time rather than
      // nothing, and apply the source as soon as it answers.
      initial = pipeline.persistedRoutes();
      if (initial.documents().isEmpty()) {
        throw new StartupException(
            StartupException.CONFIG,
            "cannot read routes from "
                + source.describe()
                + " and no last good routes are stored in "
                + dataDir
                + ". Check the route source settings in "
                + conf
                + " and that it is reachable");
      }
      from =
          "the last good routes in " + dataDir + " (" + source.describe() + " is not readable yet)";
      log.warn("starting from {}", from);
    }
    pipeline.initialize(initial, config.routes().initialLoadDuration());
    first.handOver();
    log.info("initial config ready: {} documents from {}", initial.documents().size(), from);

    XdsServer xds =
        new XdsServer(
            new InetSocketAddress(config.xds().address(), config.xds().port()), publisher);
    try {
      xds.start();
    } catch (IOException e) {
      throw portInUse(config.xds().address(), config.xds().port(), "xDS (xds.port)", e);
    }
    closeables.add(0, xds);
    GatewayMetrics metrics = new GatewayMetrics(pipeline, registries, xds);
    closeables.add(0, metrics);
    List<AdminResource> resources =
        List.of(
            new RoutesResource(pipeline::model),
            new ClustersResource(
                pipeline::model,
                registries,
                new EnvoyAdminClient(probe.adminAddress(), probe.adminPort())));
    AdminServer admin;
    try {
      admin =
          new AdminServer(
              new InetSocketAddress(config.admin().address(), config.admin().port()),
              pipeline,
              xds::openStreams,
              xds::envoys,
              source.describe(),
              source::status,
              metrics::scrape,
              adminToken,
              resources);
    } catch (IOException e) {
      throw portInUse(
          config.admin().address(), config.admin().port(), "Gangway admin (admin.port)", e);
    }
    admin.start();
    closeables.add(0, admin);
    log.info(
        "xDS on {}:{}, admin on {}:{}",
        config.xds().address(),
        xds.port(),
        config.admin().address(),
        admin.port());

    admin.watchEnvoy(java.time.Duration.ofSeconds(10), config.xds().address() + ":" + xds.port());

    BootstrapSpec spec = settings.bootstrap(xds.port());
    String bootstrap = BootstrapRenderer.renderJson(spec);
    warnIfEnvoyRunsAnotherBootstrap(runDir, bootstrap);
    RunFiles.write(runDir, RunFiles.BOOTSTRAP, bootstrap);
    GatewayConfig.Envoy e = config.envoy();
    String env =
        "ENVOY_ADMIN_ADDRESS="
            + spec.adminAddress()
            + "\n"
            + "ENVOY_ADMIN_PORT="
            + spec.adminPort()
            + "\n"
            + "ENVOY_BASE_ID="
            + e.effectiveBaseId()
            + "\n"
            + "ENVOY_CONCURRENCY="
            + (e.concurrency() > 0 ? e.concurrency() : Runtime.getRuntime().availableProcessors())
            + "\n"
            + "ENVOY_DRAIN_SECONDS="
            + e.drainSeconds()
            + "\n"
            + "ENVOY_LOG_LEVEL="
            + e.logLevel()
            + "\n"
            + "GANGWAY_ADMIN_ADDRESS="
            + config.admin().address()
            + "\n"
            + "GANGWAY_ADMIN_PORT="
            + admin.port()
            + "\n"
            + "GANGWAY_HTTP_PORT="
            + config.gateway().listeners().get(0).port()
            + "\n";
    RunFiles.write(runDir, RunFiles.ENV, env);
    RunFiles.write(runDir, RunFiles.READY, ProcessHandle.current().pid() + "\n");
    log.info("ready");
  }

  private static RouteSource routeSource(GatewayConfig config, Settings settings)
      throws StartupException, IOException {
    if (config.routes().source().equals("nacos")) {
      GatewayConfig.Nacos n = java.util.Objects.requireNonNull(config.routes().nacos());
      byte[] key =
          n.encryptionKeyFile() == null
              ? null
              : Files.readAllBytes(settings.confDir().resolve(n.encryptionKeyFile()));
      try {
        return new NacosRouteSource(
            new NacosSourceSettings(
                n.serverAddr(),
                n.namespace(),
                n.layout(),
                n.group(),
                n.dataIds(),
                n.username(),
                System.getenv("NACOS_PASSWORD"),
                n.accessKey(),
                System.getenv("NACOS_SECRET_KEY"),
                key == null ? null : trimKey(key),
                GatewayConfig.duration("routes.nacos.resync", n.resync()),
                GatewayConfig.duration("routes.nacos.timeout", n.timeout())));
      } catch (IllegalArgumentException e) {
        throw new StartupException(StartupException.CONFIG, e.getMessage());
      }
    }
    FileRouteSource files =
        new FileRouteSource(settings.routePaths(), config.routes().pollDuration());
    try {
      files.checkRoots();
    } catch (ConfigException e) {
      throw new StartupException(StartupException.CONFIG, e.getMessage());
    }
    return files;
  }

  /** A key file written with a trailing newline holds the key without it. */
  private static byte[] trimKey(byte[] key) {
    int n = key.length;
    while (n > 0 && (key[n - 1] == '\n' || key[n - 1] == '\r')) {
      n--;
    }
    return java.util.Arrays.copyOf(key, n);
  }

  private static void checkFree(String address, int port, String what) throws StartupException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
    } catch (IOException e) {
      throw portInUse(address, port, what, e);
    }
  }

  private static StartupException portInUse(String address, int port, String what, Exception e) {
    boolean inUse = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      inUse |=
          t instanceof BindException
              || String.valueOf(t.getMessage()).contains("Address already in use");
    }
    String why = inUse ? "is in use" : "cannot be bound (" + e.getMessage() + ")";
    return new StartupException(
        StartupException.PORT_IN_USE,
        what
            + " port "
            + address
            + ":"
            + port
            + " "
            + why
            + ". Stop the process using it (ss -ltnp 'sport = :"
            + port
            + "') or change the port in conf/gangway.yaml");
  }

  private void closeAll() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("closing {}", c, e);
      }
    }
    closeables.clear();
  }

  /**
   * A JVM-only restart (the supervisor restarts a crashed JVM, Envoy keeps running) cannot change
   * the bootstrap the running Envoy was started with. When the settings changed it (xds.*,
   * envoy.admin.*), that Envoy keeps serving its last config but never receives another edit: say
   * so in one line.
   */
  private static void warnIfEnvoyRunsAnotherBootstrap(Path runDir, String bootstrap) {
    Path old = runDir.resolve(RunFiles.BOOTSTRAP);
    Path envoyPid = runDir.resolve("envoy.pid");
    try {
      if (!Files.exists(old) || !Files.exists(envoyPid)) {
        return;
      }
      long pid = Long.parseLong(Files.readString(envoyPid).trim());
      boolean envoyRuns = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (envoyRuns && !Files.readString(old).equals(bootstrap)) {
        log.error(
            "gangway: error: the running Envoy (pid {}) was started with a bootstrap these settings no longer "
                + "produce (xds.* or envoy.* changed in gangway.yaml): it keeps serving its last config but receives no "
                + "edits. Fix: restart both with bin/shutdown.sh && bin/startup.sh",
            pid);
      }
    } catch (IOException | NumberFormatException e) {
      log.debug("cannot compare the running Envoy's bootstrap: {}", e.toString());
    }
  }

  /**
   * Returns the bearer token the admin API requires, or {@code null} on loopback. Binding the admin
   * API anywhere else is an explicit opt-in: it needs {@code GANGWAY_ADMIN_TOKEN}
   * (conf/gangway.env), or the start is refused, since /status and /config_dump describe the whole
   * gateway. A non-loopback xDS address is allowed (a remote Envoy) but warned about: anyone who
   * reaches it reads the config.
   */
  private static @Nullable String adminToken(GatewayConfig config) throws StartupException {
    String token = System.getenv("GANGWAY_ADMIN_TOKEN");
    token = token == null || token.isBlank() ? null : token.trim();
    if (!isLoopback(config.admin().address())) {
      if (token == null) {
        throw new StartupException(
            StartupException.CONFIG,
            "admin.address "
                + config.admin().address()
                + " is not a loopback address, and the admin API (status, config dump) would be open to that network. "
                + "Fix: set GANGWAY_ADMIN_TOKEN in conf/gangway.env (clients send Authorization: Bearer <token>), "
                + "or bind admin.address: 127.0.0.1");
      }
      log.warn(
          "admin API on non-loopback {}:{}: every request except /healthz needs the bearer token",
          config.admin().address(),
          config.admin().port());
    }
    if (!isLoopback(config.xds().address())) {
      log.warn(
          "xDS on non-loopback {}:{}: anyone who can reach it reads the whole Envoy config (certificates "
              + "included); bind xds.address: 127.0.0.1 unless a remote Envoy needs it, and firewall the port",
          config.xds().address(),
          config.xds().port());
    }
    return token;
  }

  private static boolean isLoopback(String address) {
    try {
      return java.net.InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
