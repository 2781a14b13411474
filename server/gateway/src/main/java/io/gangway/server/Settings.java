package io.gangway.server;

import io.gangway.bootstrap.BootstrapSpec;
import io.gangway.server.config.GatewayConfig;
import io.gangway.xds.CertificateFile;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.XdsTranslator;
import io.gangway.xds.feature.Features;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Settings} derives each stage's settings from {@code gangway.yaml}, resolving relative
 * paths: route paths against the directory of {@code gangway.yaml}, log paths against the install
 * home.
 *
 * @param config the loaded configuration
 * @param confDir the directory holding {@code gangway.yaml}
 * @param home the install home (parent of {@code conf/} unless {@code -Dgangway.home} says
 *     otherwise)
 */
public record Settings(GatewayConfig config, Path confDir, Path home) {

  /** Returns settings for {@code confFile}. */
  public static Settings of(GatewayConfig config, Path confFile) {
    Path confDir = confFile.toAbsolutePath().normalize().getParent();
    String homeProp = System.getProperty("gangway.home");
    Path home =
        homeProp != null
            ? Path.of(homeProp).toAbsolutePath().normalize()
            : (confDir.getParent() != null ? confDir.getParent() : confDir);
    return new Settings(config, confDir, home);
  }

  /** Returns the route roots. */
  public List<Path> routePaths() {
    return config.routes().paths().stream().map(p -> confDir.resolve(p).normalize()).toList();
  }

  /** Returns the listener settings of every gateway listener: the plain ones, then the TLS ones. */
  public List<ListenerSettings> listeners() {
    GatewayConfig.Gateway g = config.gateway();
    String accessLog =
        g.accessLog() == null || g.accessLog().isEmpty()
            ? null
            : home.resolve(g.accessLog()).toString();
    List<ListenerSettings> out = new ArrayList<>();
    for (GatewayConfig.Endpoint l : g.listeners()) {
      out.add(
          new ListenerSettings(
                  l.address(),
                  l.port(),
                  accessLog,
                  g.xffNumTrustedHops(),
                  GatewayConfig.duration(
                      "gateway.requestHeadersTimeout", g.requestHeadersTimeout()),
                  GatewayConfig.duration("gateway.idleTimeout", g.idleTimeout()),
                  GatewayConfig.duration("gateway.streamIdleTimeout", g.streamIdleTimeout()),
                  g.maxRequestHeadersKb(),
                  g.escapedSlashes())
              .withAccessLogFormat(g.accessLogFormat()));
    }
    ListenerSettings plain = out.get(0);
    for (GatewayConfig.Endpoint l : g.tls().listeners()) {
      out.add(plain.asTls(l.address(), l.port()));
    }
    return out;
  }

  /**
   * Returns the certificates of {@code gateway.tls}, paths resolved against the directory of {@code
   * gangway.yaml}; the default certificate binds {@code *}.
   */
  public List<CertificateFile> certificateFiles() {
    GatewayConfig.Tls tls = config.gateway().tls();
    List<CertificateFile> out = new ArrayList<>();
    if (tls.defaultCertificate() != null) {
      out.add(file(tls.defaultCertificate(), List.of("*"), "gateway.tls.defaultCertificate"));
    }
    for (int i = 0; i < tls.certificates().size(); i++) {
      GatewayConfig.CertificateFiles c = tls.certificates().get(i);
      out.add(file(c, c.hosts(), "gateway.tls.certificates[" + i + "]"));
    }
    return out;
  }

  private CertificateFile file(GatewayConfig.CertificateFiles c, List<String> hosts, String field) {
    return new CertificateFile(
        "file:" + c.cert(),
        hosts,
        confDir.resolve(c.cert()).normalize(),
        confDir.resolve(c.key()).normalize(),
        field);
  }

  /** Returns the xDS translator for these settings. */
  public XdsTranslator xdsTranslator() {
    return new XdsTranslator(
        listeners(),
        Features.defaults(config.upstream().toDefaults()),
        GatewayConfig.duration("gateway.connectTimeout", config.gateway().connectTimeout()),
        certificateFiles());
  }

  /** Returns the bootstrap spec; {@code xdsPort} is the port actually bound. */
  public BootstrapSpec bootstrap(int xdsPort) {
    GatewayConfig.Envoy e = config.envoy();
    String nodeId =
        e.nodeId() != null && !e.nodeId().isEmpty()
            ? e.nodeId()
            : hostname() + "-" + config.gateway().listeners().get(0).port();
    String xdsAddress =
        config.xds().address().equals("0.0.0.0") ? "127.0.0.1" : config.xds().address();
    return new BootstrapSpec(
        nodeId,
        e.nodeCluster(),
        xdsAddress,
        xdsPort,
        e.admin().address(),
        e.admin().port(),
        e.xdsProtocol().equals("delta"),
        e.maxConnections(),
        e.stats().address(),
        e.stats().port());
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "gangway";
    }
  }
}
