package io.gangway.server.pipeline;

import io.gangway.ingress.IngressTranslator;
import io.gangway.ingress.TranslationResult;
import io.gangway.model.Diagnostic;
import io.gangway.model.GatewayModel;
import io.gangway.server.ads.SnapshotPublisher;
import io.gangway.server.registry.RegistryManager;
import io.gangway.spi.route.RouteListener;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.xds.XdsResources;
import io.gangway.xds.XdsTranslator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Pipeline} runs route source → admission → model → registries → xDS → publish on one
 * thread.
 *
 * <p>Route snapshots are debounced (a burst of edits is applied once, at most {@code debounce}
 * after the first); endpoint changes are coalesced for 10 ms and rebuild EDS only. Certificate
 * files of {@code gangway.yaml} are re-read every {@value #CERTIFICATE_CHECK_SECONDS} s; a changed
 * one is re-translated at once (only its SDS secret changes, so Envoy drains nothing). Nothing is
 * published until {@link #initialize} has applied the first snapshot, and a snapshot that fails the
 * consistency check is never published, so Envoy always holds a complete config. Thread-safe:
 * events may arrive from any thread.
 */
public final class Pipeline implements RouteListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
  static final int CERTIFICATE_CHECK_SECONDS = 2;

  private final DocumentGate gate;
  private final LastGoodStore store;
  // Short backend names resolved against discovered services: re-translate when those change.
  private @Nullable RouteSnapshot lastRoutes;
  private java.util.Set<String> catalogHosts = java.util.Set.of();
  private volatile boolean usesCatalog;
  private final IngressTranslator ingress;
  private final XdsTranslator xds;
  private final RegistryManager registries;
  private final SnapshotPublisher publisher;
  private final Duration debounce;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gangway-pipeline");
            t.setDaemon(true);
            return t;
          });
  private final AtomicReference<@Nullable RouteSnapshot> pendingRoutes = new AtomicReference<>();
  private final AtomicBoolean routesScheduled = new AtomicBoolean();
  private final AtomicBoolean endpointsScheduled = new AtomicBoolean();
  private final AtomicBoolean initialized = new AtomicBoolean();
  private final AtomicReference<Status> status = new AtomicReference<>(Status.initial());
  private final Set<String> loggedDiagnostics = new HashSet<>();
  private final CertificateFiles certificateFiles;
  private @Nullable GatewayModel ingressModel;
  private volatile @Nullable GatewayModel model;
  private List<Diagnostic> routeDiagnostics = List.of();
  private boolean warnedTlsWithoutListener;
  private @Nullable XdsResources resources;
  private List<DocumentStatus> documentStatuses = List.of();
  private List<Diagnostic> diagnostics = List.of();
  private volatile @Nullable Path routeCountFile;
  private final RouteCount routeCount = new RouteCount();
  // Where the time of the last route apply went, for its log line; "" for other changes.
  private String phases = "";

  /**
   * Creates a pipeline; {@code registries} must call {@link #endpointsChanged()} on changes.
   *
   * @param dataDir where the last good route documents and the registries' last known endpoints are
   *     persisted
   */
  public Pipeline(
      IngressTranslator ingress,
      XdsTranslator xds,
      RegistryManager registries,
      SnapshotPublisher publisher,
      Path dataDir,
      Duration debounce) {
    this.ingress = ingress;
    this.xds = xds;
    this.registries = registries;
    this.publisher = publisher;
    this.debounce = debounce;
    this.store = new LastGoodStore(dataDir);
    registries.keepEndpointsIn(dataDir); // last known endpoints next to the last good routes
    this.gate = new DocumentGate(ingress, registries::check, store);
    this.certificateFiles = new CertificateFiles(xds.certificateFiles());
  }

  /**
   * {@code Observer} is told how long each translation and each publish took, for metrics. Called
   * on the pipeline's thread; must return quickly.
   */
  public interface Observer {
    /** A model was translated into xDS resources in {@code nanos}. */
    void translated(long nanos);

    /**
     * A change ({@code cause}: routes, endpoints, certificate file) was published {@code nanos}
     * after it arrived; {@code changed} tells whether any resource changed.
     */
    void published(String cause, long nanos, boolean changed);
  }

  private volatile Observer observer =
      new Observer() {
        @Override
        public void translated(long nanos) {}

        @Override
        public void published(String cause, long nanos, boolean changed) {}
      };

  /** Sets the observer of translation and publish times (one; the metrics). */
  public void observe(Observer o) {
    this.observer = o;
  }

  /**
   * Keeps {@code file} (the supervisor's {@code run/gangway.routes}) up to date with the number of
   * routes of each route snapshot, counted from its YAML before it is parsed. Call before {@link
   * #initialize}.
   */
  public void reportRouteCountTo(Path file) {
    routeCountFile = file;
  }

  /**
   * Applies the first snapshot and publishes it, after waiting (at most {@code registryWait}) for
   * the registries it declares to finish their first listing. Blocks until done.
   */
  public void initialize(RouteSnapshot first, Duration registryWait) throws InterruptedException {
    run(
        () -> {
          certificateFiles.reload();
          applyRoutes(first, false);
          return null;
        });
    if (!registries.awaitReady(registryWait)) {
      log.warn(
          "registries not ready after {}: {}; starting with what they have",
          registryWait,
          registries.states());
    }
    run(
        () -> {
          if (usesCatalog) {
            applyRoutes(
                first, false); // short names can now resolve against what the registries found
          }
          applyEndpoints();
          if (!publisher.hasSnapshot()) {
            throw new IllegalStateException(
                "the first configuration could not be published; see the error above");
          }
          initialized.set(true);
          return null;
        });
    if (!certificateFiles.isEmpty()) {
      var unused =
          executor.scheduleWithFixedDelay(
              () -> safely(this::checkCertificates),
              CERTIFICATE_CHECK_SECONDS,
              CERTIFICATE_CHECK_SECONDS,
              TimeUnit.SECONDS);
    }
  }

  /** Queues a route snapshot; applied after the debounce window. */
  @Override
  public void onRoutes(RouteSnapshot snapshot) {
    pendingRoutes.set(snapshot);
    if (routesScheduled.compareAndSet(false, true)) {
      var unused =
          executor.schedule(
              () -> {
                routesScheduled.set(false);
                RouteSnapshot s = pendingRoutes.getAndSet(null);
                if (s != null) {
                  safely(() -> applyRoutes(s, initialized.get()));
                }
              },
              debounce.toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void onError(Throwable cause) {
    log.warn("route source cannot be read, keeping the current routes: {}", cause.toString());
  }

  /** Signals that discovered endpoints changed; EDS is rebuilt shortly after. */
  public void endpointsChanged() {
    if (endpointsScheduled.compareAndSet(false, true)) {
      var unused =
          executor.schedule(
              () -> {
                endpointsScheduled.set(false);
                if (initialized.get()) {
                  safely(this::applyDiscovery);
                }
              },
              10,
              TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Returns the route documents persisted by the last run (empty when none): what to serve when the
   * route source cannot be read at start-up.
   */
  public RouteSnapshot persistedRoutes() {
    return new RouteSnapshot(List.copyOf(store.documents().values()));
  }

  /**
   * Returns the current status: the config as last applied, with the registries' states read now
   * (an outage changes no config, yet must show while it lasts).
   */
  public Status status() {
    return status.get().withRegistries(registries.statuses());
  }

  /** Returns whether the first snapshot has been published. */
  public boolean isInitialized() {
    return initialized.get();
  }

  /**
   * Returns the resources being served, or {@code null} before initialisation (for the admin dump).
   */
  public @Nullable XdsResources resources() {
    return resources;
  }

  /**
   * Returns the model being served (routes with certificate files joined), or {@code null} before
   * the first snapshot was applied (for the admin {@code /routes} and {@code /clusters}).
   */
  public @Nullable GatewayModel model() {
    return model;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /**
   * Applies a registry change: EDS only, unless routes resolved short names against discovered
   * services and the set of discovered services changed; then the routes are translated again.
   */
  private void applyDiscovery() {
    RouteSnapshot last = lastRoutes;
    if (usesCatalog && last != null && !registries.hostSet().equals(catalogHosts)) {
      applyRoutes(last, true);
    } else {
      applyEndpoints();
    }
  }

  private void applyRoutes(RouteSnapshot snapshot, boolean publish) {
    long start = System.nanoTime();
    Path countFile = routeCountFile;
    if (countFile != null) {
      // Before the parse: a route set too large for the heap dies in it, and the supervisor names
      // this count.
      RouteCount.write(countFile, routeCount.paths(snapshot));
    }
    long t0 = System.nanoTime();
    DocumentGate.Admission admission = gate.admit(snapshot);
    lastRoutes = snapshot;
    catalogHosts = registries.hostSet();
    long t1 = System.nanoTime();
    TranslationResult result = ingress.translate(admission.live(), registries::hosts);
    long t2 = System.nanoTime();
    usesCatalog = result.usesCatalog();
    List<Diagnostic> all = new ArrayList<>(admission.rejectedDiagnostics());
    all.addAll(result.diagnostics());
    ingressModel = result.model();
    registries.reconcile(ingressModel.registries());
    routeDiagnostics = all;
    documentStatuses = admission.statuses();
    long t3 = System.nanoTime();
    translate();
    phases =
        String.format(
            java.util.Locale.ROOT,
            " (admission %.0f ms, model %.0f ms, xDS %.0f ms, publish",
            (t1 - t0) / 1e6,
            (t2 - t1) / 1e6,
            (System.nanoTime() - t3) / 1e6);
    admission.statuses().stream()
        .filter(s -> !s.state().equals("applied"))
        .forEach(
            s ->
                log.warn(
                    "{} rejected; {}",
                    s.source(),
                    s.liveVersion() == null
                        ? "no earlier version exists, so nothing from it is served"
                        : "its last good version " + s.liveVersion() + " stays live"));
    if (publish) {
      publishCurrent("routes", start);
    }
  }

  /**
   * Re-reads the certificate files; publishes when a certificate (or a problem with one) changed.
   */
  private void checkCertificates() {
    long start = System.nanoTime();
    if (certificateFiles.reload() && initialized.get() && ingressModel != null) {
      translate();
      publishCurrent("certificate file", start);
    }
  }

  /** Joins the route model and the certificate files, and translates the result. */
  private void translate() {
    GatewayModel m =
        java.util.Objects.requireNonNull(ingressModel)
            .withFallbackTls(certificateFiles.certificates(), certificateFiles.bindings());
    model = m;
    long t0 = System.nanoTime();
    resources = xds.translate(m, registries.endpoints());
    observer.translated(System.nanoTime() - t0);
    List<Diagnostic> all = new ArrayList<>(routeDiagnostics);
    all.addAll(certificateFiles.diagnostics());
    diagnostics = all;
    logDiagnostics(all);
    boolean ignored = !m.tls().isEmpty() && !xds.hasTlsListeners();
    if (ignored && !warnedTlsWithoutListener) {
      log.warn(
          "{} hosts have a certificate but gateway.tls.listeners is empty: HTTPS is not served",
          m.tls().size());
    }
    warnedTlsWithoutListener = ignored;
  }

  private void applyEndpoints() {
    if (model == null || resources == null) {
      return;
    }
    long start = System.nanoTime();
    var endpoints = registries.endpoints();
    resources =
        resources.withClustersAndEndpoints(
            xds.clusters(model, endpoints), xds.endpoints(model, endpoints));
    publishCurrent("endpoints", start);
  }

  private void publishCurrent(String cause, long startNanos) {
    XdsResources r = resources;
    GatewayModel m = model;
    if (r == null || m == null) {
      return;
    }
    String timing = phases;
    phases = "";
    try {
      long publishStart = System.nanoTime();
      Map<String, String> changed = publisher.publish(r);
      long micros = (System.nanoTime() - startNanos) / 1000;
      observer.published(cause, System.nanoTime() - startNanos, !changed.isEmpty());
      if (!timing.isEmpty()) {
        timing +=
            String.format(
                java.util.Locale.ROOT, " %.0f ms)", (System.nanoTime() - publishStart) / 1e6);
      }
      if (!changed.isEmpty()) {
        log.info(
            "applied {} change in {} ms{}: pushed {} ({} virtual hosts, {} routes, {} clusters)",
            cause,
            micros / 1000.0,
            timing,
            changed.keySet(),
            m.virtualHosts().size(),
            m.virtualHosts().stream().mapToInt(v -> v.routes().size()).sum(),
            m.clusters().size());
      }
    } catch (SnapshotPublisher.InconsistentSnapshotException e) {
      log.error(
          "not publishing an inconsistent snapshot, Envoy keeps the previous one: {}",
          e.getMessage());
    }
    Map<String, Integer> counts = new TreeMap<>();
    counts.put("virtualHosts", m.virtualHosts().size());
    counts.put("routes", m.virtualHosts().stream().mapToInt(v -> v.routes().size()).sum());
    counts.put("clusters", m.clusters().size());
    counts.put("certificates", m.certificates().size());
    counts.put("tlsHosts", m.tls().size());
    status.set(
        new Status(
            Instant.now(),
            documentStatuses,
            Status.format(diagnostics),
            registries.statuses(),
            publisher.versions(),
            counts));
  }

  /**
   * Logs each diagnostic once while it persists; a fixed problem can be logged again if it comes
   * back.
   */
  private void logDiagnostics(List<Diagnostic> all) {
    Set<String> now = new HashSet<>();
    for (Diagnostic d : all) {
      String line = d.toString();
      now.add(line);
      if (!loggedDiagnostics.contains(line)) {
        if (d.isError()) {
          log.error("{}", line);
        } else {
          log.warn("{}", line);
        }
      }
    }
    loggedDiagnostics.retainAll(now);
    loggedDiagnostics.addAll(now);
  }

  private void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      // A bug must not stop the pipeline thread; the live config stays as it is.
      log.error("pipeline step failed; the live config is unchanged", e);
    }
  }

  private <T> T run(java.util.concurrent.Callable<T> task) throws InterruptedException {
    try {
      return executor.submit(task).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("pipeline initialisation failed", e.getCause());
    }
  }
}
