package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.gangway.echo.EchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The upstream and downstream TLS annotations end to end, through the real JVM and a real Envoy,
 * with certificates made at test time by {@code openssl}: a CA, a second ("wrong") CA, server
 * certificates for the gateway's hosts, client certificates of both CAs, and an HTTPS upstream (a
 * JDK {@code HttpsServer} that requires a client certificate of the CA and echoes the client's
 * subject and the SNI it received).
 *
 * <p>Downstream: {@code auth-tls-secret} on {@code mtls.test} (CA in {@code mtls-tls-cacert}),
 * {@code tls-max-protocol-version: TLSv1.2} plus {@code ssl-cipher} on {@code v12.test}, {@code
 * tls-min-protocol-version: TLSv1.3} on {@code v13.test}. Upstream: {@code up.test} proxies to the
 * HTTPS upstream with {@code proxy-ssl-secret}, {@code -verify on}, {@code -name}, {@code
 * -server-name on}. The last tests measure what a CA rotation (SDS) and a policy edit (LDS) do to
 * the listener and to open connections.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamAndDownstreamTlsEndToEndIT {

  private EchoServer echo;
  private HttpsServer upstream;
  private GatewayHarness gw;
  private Path certs;

  @BeforeAll
  void start() throws Exception {
    echo = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "echo");
    certs = Files.createTempDirectory("gangway-mtls-e2e");
    ca("ca", "gangway e2e CA");
    ca("other-ca", "gangway e2e other CA");
    leaf("mtls", "ca", "DNS:mtls.test", 1);
    leaf("v12", "ca", "DNS:v12.test", 2);
    leaf("v13", "ca", "DNS:v13.test", 3);
    leaf("client", "ca", "DNS:client.test", 4);
    leaf("rogue", "other-ca", "DNS:client.test", 5);
    leaf("upstream", "ca", "DNS:upstream.test", 6);
    leaf("gw-client", "ca", "DNS:gateway.test", 7);
    upstream = httpsUpstream();

    gw = new GatewayHarness(routes("ca", "upstream.test", "auth-tls-secret: mtls-tls"));
    gw.addGatewayConfig(
        """
          tls:
            listeners: [{address: 127.0.0.1, port: %d}]
        """
            .formatted(gw.httpsPort));
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "v12.test is served over TLS",
        Duration.ofSeconds(15),
        () -> outcome("v12.test", "v12.test", null, "TLSv1.2").equals("200 echo"));
  }

  @AfterAll
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    echo.close();
    if (upstream != null) {
      upstream.stop(0);
    }
  }

  /**
   * The route file.
   *
   * @param upstreamCa the CA in {@code ca.crt} of the gateway's upstream client Secret
   * @param sslName {@code proxy-ssl-name} of up.test
   * @param mtlsAnnotation the mTLS annotation line of mtls.test (key without prefix and value)
   */
  private String routes(String upstreamCa, String sslName, String mtlsAnnotation)
      throws IOException {
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: echo, domain: "127.0.0.1:%d", port: 80}
            - {type: static, name: secure, domain: "127.0.0.1:%d", port: 443}
        ---
        %s
        ---
        %s
        ---
        %s
        ---
        %s
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: mtls-tls-cacert}
        type: Opaque
        stringData:
          ca.crt: |
        %s
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: mtls
          annotations: {higress.io/%s}
        spec:
          tls: [{hosts: [mtls.test], secretName: mtls-tls}]
          rules:
            - host: mtls.test
              http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: echo.static, port: {number: 80}}}}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: v12
          annotations:
            higress.io/tls-max-protocol-version: TLSv1.2
            higress.io/ssl-cipher: "ECDHE-ECDSA-AES256-GCM-SHA384:NOT-A-CIPHER"
        spec:
          tls: [{hosts: [v12.test], secretName: v12-tls}]
          rules:
            - host: v12.test
              http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: echo.static, port: {number: 80}}}}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: v13
          annotations: {nginx.ingress.kubernetes.io/tls-min-protocol-version: TLSv1.3}
        spec:
          tls: [{hosts: [v13.test], secretName: v13-tls}]
          rules:
            - host: v13.test
              http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: echo.static, port: {number: 80}}}}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: up
          annotations:
            higress.io/backend-protocol: HTTPS
            higress.io/proxy-ssl-secret: default/upstream-client
            higress.io/proxy-ssl-verify: "on"
            higress.io/proxy-ssl-name: %s
            higress.io/proxy-ssl-server-name: "on"
        spec:
          rules:
            - host: up.test
              http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: secure.static, port: {number: 443}}}}]}
        """
        .formatted(
            echo.port(),
            upstream.getAddress().getPort(),
            tlsSecret("mtls-tls", "mtls", null),
            tlsSecret("v12-tls", "v12", null),
            tlsSecret("v13-tls", "v13", null),
            tlsSecret("upstream-client", "gw-client", upstreamCa),
            indent(read("ca.crt")),
            mtlsAnnotation,
            sslName);
  }

  @Test
  @Order(1)
  void authTlsSecret_refusesClientsWithoutACertificateOrWithAnotherCas_andServesTheCasClients()
      throws Exception {
    assertThat(outcome("mtls.test", "mtls.test", "client", null)).isEqualTo("200 echo");
    assertThat(outcome("mtls.test", "mtls.test", null, null))
        .as("no client certificate")
        .startsWith("refused");
    assertThat(outcome("mtls.test", "mtls.test", "rogue", null))
        .as("a certificate of another CA")
        .startsWith("refused");
    assertThat(outcome("mtls.test", "mtls.test", null, "TLSv1.2"))
        .as("no certificate, TLS 1.2")
        .startsWith("refused");
    // Envoy picks the filter chain by SNI, the virtual host by Host: a connection made for another
    // host
    // must not reach mtls.test's routes.
    assertThat(outcome("v12.test", "mtls.test", null, "TLSv1.2"))
        .as("Host mtls.test on v12.test's chain")
        .startsWith("403");
    assertThat(RawHttp.get(gw.httpPort, "mtls.test", "/").status()).as("plain HTTP").isEqualTo(403);
    assertThat(outcome("v12.test", "v12.test", null, "TLSv1.2"))
        .as("other hosts need no certificate")
        .isEqualTo("200 echo");
  }

  @Test
  @Order(2)
  void tlsProtocolVersions_andCiphers_limitTheHandshake() throws Exception {
    assertThat(outcome("v12.test", "v12.test", null, "TLSv1.3"))
        .as("TLS 1.3-only client on a max-1.2 host")
        .startsWith("refused");
    assertThat(outcome("v12.test", "v12.test", null, "TLSv1.2")).isEqualTo("200 echo");
    try (SSLSocket s = handshake("v12.test", null, "TLSv1.2")) {
      assertThat(s.getSession().getCipherSuite())
          .as("ssl-cipher's only valid suite")
          .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    }
    assertThat(outcome("v13.test", "v13.test", null, "TLSv1.2"))
        .as("TLS 1.2-only client on a min-1.3 host")
        .startsWith("refused");
    assertThat(outcome("v13.test", "v13.test", null, "TLSv1.3")).isEqualTo("200 echo");
    assertThat(outcome("mtls.test", "mtls.test", "client", "TLSv1.3"))
        .as("hosts without the keys: TLS 1.3")
        .isEqualTo("200 echo");
  }

  @Test
  @Order(3)
  void proxySsl_presentsTheClientCertificate_sendsSni_andVerifiesTheUpstreamAgainstTheCa()
      throws Exception {
    RawHttp.Response r = RawHttp.get(gw.httpPort, "up.test", "/");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.backend()).isEqualTo("tls-upstream");
    assertThat(r.body()).contains("client=CN=gateway.test").contains("sni=upstream.test");

    // A CA rotation is SDS only: the cluster is unchanged.
    gw.writeRoutes(routes("other-ca", "upstream.test", "auth-tls-secret: mtls-tls"));
    GatewayHarness.await(
        "a wrong CA fails verification",
        Duration.ofSeconds(10),
        () -> status(gw.httpPort, "up.test") == 503);
    gw.writeRoutes(routes("ca", "upstream.test", "auth-tls-secret: mtls-tls"));
    GatewayHarness.await(
        "the right CA again", Duration.ofSeconds(10), () -> status(gw.httpPort, "up.test") == 200);
    // proxy-ssl-name is in the cluster (CDS): the right CA but another name fails verification.
    // Envoy
    // re-creates a changed cluster and warms it until its endpoints arrive again; before the
    // rollout
    // re-sent them (after the new cluster), this took Envoy's 15 s initial-fetch timeout (15.3 s
    // measured), so a bound well under 15 s tells the two apart.
    long t0 = System.nanoTime();
    gw.writeRoutes(routes("ca", "other.test", "auth-tls-secret: mtls-tls"));
    GatewayHarness.await(
        "another proxy-ssl-name fails verification",
        Duration.ofSeconds(8),
        () -> status(gw.httpPort, "up.test") == 503);
    System.out.println(
        "cluster-only edit (proxy-ssl-name) applied after ms "
            + (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  @Order(4)
  void caRotation_isAnSdsUpdate_theListenerIsNotModified() throws Exception {
    long modified = gw.envoyStat("listener_manager.listener_modified");
    try (RawHttp open = new RawHttp(handshake("mtls.test", "client", "TLSv1.2"))) {
      assertThat(open.send("mtls.test", "/before").status()).isEqualTo(200);
      // The CA Secret now holds the other CA: rogue's certificate is valid, client's is not.
      gw.writeRoutes(
          routes("ca", "upstream.test", "auth-tls-secret: mtls-tls")
              .replace(indent(read("ca.crt")), indent(read("other-ca.crt"))));
      GatewayHarness.await(
          "the rotated CA is enforced",
          Duration.ofSeconds(10),
          () -> outcome("mtls.test", "mtls.test", "rogue", null).equals("200 echo"));
      assertThat(outcome("mtls.test", "mtls.test", "client", null)).startsWith("refused");
      assertThat(gw.envoyStat("listener_manager.listener_modified"))
          .as("CA rotation: SDS only")
          .isEqualTo(modified);
      String after = sendOr(open, "mtls.test", "/after");
      System.out.println("connection verified by the old CA, after the CA rotation: " + after);
      assertThat(after).as("an open connection is not re-verified").isEqualTo("200");
    }
  }

  @Test
  @Order(5)
  void policyEdit_changesOneFilterChain_connectionsOnOtherChainsSurvive() throws Exception {
    long modified = gw.envoyStat("listener_manager.listener_modified");
    long inPlace = gw.envoyStat("listener_manager.listener_in_place_updated");
    try (RawHttp other = new RawHttp(handshake("v12.test", null, "TLSv1.2"));
        RawHttp same = new RawHttp(handshake("mtls.test", "rogue", "TLSv1.2"))) {
      assertThat(other.send("v12.test", "/before").status()).isEqualTo(200);
      assertThat(same.send("mtls.test", "/before").status()).isEqualTo(200);
      // Drop auth-tls-secret on mtls.test: its filter chain changes (no client certificate
      // requested).
      gw.writeRoutes(
          routes("ca", "upstream.test", "ssl-cipher: ECDHE-ECDSA-AES128-GCM-SHA256")
              .replace(indent(read("ca.crt")), indent(read("other-ca.crt"))));
      GatewayHarness.await(
          "mtls.test no longer asks for a certificate",
          Duration.ofSeconds(10),
          () -> outcome("mtls.test", "mtls.test", null, null).equals("200 echo"));
      assertThat(gw.envoyStat("listener_manager.listener_modified"))
          .as("a TLS policy edit is LDS")
          .isEqualTo(modified + 1);
      assertThat(gw.envoyStat("listener_manager.listener_in_place_updated"))
          .as("filter-chain-only update")
          .isEqualTo(inPlace + 1);
      assertThat(other.send("v12.test", "/after").status())
          .as("a connection on an unchanged chain")
          .isEqualTo(200);
      long draining = gw.envoyStat("listener_manager.total_filter_chains_draining");
      assertThat(draining).as("only the changed chain drains").isEqualTo(1);
      String sameAfter = sendOr(same, "mtls.test", "/after");
      System.out.println(
          "connection on the changed (draining) filter chain, right after the edit: " + sameAfter);
      assertThat(sameAfter)
          .as("a draining connection still serves until Envoy's drain time ends")
          .isEqualTo("200");
    }
  }

  @Test
  @Order(6)
  void missingSecrets_failClosed_theHostAnswers403_andTheUpstream503() throws Exception {
    gw.writeRoutes(
        routes("ca", "upstream.test", "auth-tls-secret: nowhere")
            .replace(
                "proxy-ssl-secret: default/upstream-client", "proxy-ssl-secret: default/missing"));
    // up.test was 503 already (other.test); the fail-closed cluster has no endpoints at all.
    long t0 = System.nanoTime();
    GatewayHarness.await(
        "up.test's cluster has no endpoints",
        Duration.ofSeconds(30),
        () ->
            gw.envoyAdmin("/clusters")
                .lines()
                .noneMatch(l -> l.startsWith("outbound|443||secure.static::127.0.0.1")));
    System.out.println(
        "fail-closed cluster applied after ms " + (System.nanoTime() - t0) / 1_000_000);
    assertThat(status(gw.httpPort, "up.test")).isEqualTo(503);
    GatewayHarness.await(
        "mtls.test fails closed",
        Duration.ofSeconds(10),
        () -> outcome("mtls.test", "mtls.test", "client", null).startsWith("403"));
    assertThat(outcome("mtls.test", "mtls.test", "client", null))
        .as("CA Secret missing")
        .startsWith("403");
    assertThat(outcome("mtls.test", "mtls.test", null, null))
        .as("without a certificate too")
        .startsWith("403");
    assertThat(gw.gangwayAdmin("/status"))
        .contains("no Secret default/nowhere-cacert or default/nowhere with key" + " ca.crt")
        .contains("TLS secret default/missing not found");
    assertThat(outcome("v12.test", "v12.test", null, "TLSv1.2"))
        .as("other hosts are unaffected")
        .isEqualTo("200 echo");
  }

  // --- clients ---

  /**
   * Returns {@code "<status> <backend>"}, or {@code "refused: <why>"} when TLS or the request
   * fails.
   */
  private String outcome(String sni, String host, String clientCert, String protocol) {
    try (RawHttp c = new RawHttp(handshake(sni, clientCert, protocol))) {
      RawHttp.Response r = c.send(host, "/");
      return r.status() + " " + r.backend();
    } catch (Exception e) {
      return "refused: " + e;
    }
  }

  private static String sendOr(RawHttp c, String host, String path) {
    try {
      return String.valueOf(c.send(host, path).status());
    } catch (Exception e) {
      return "failed: " + e;
    }
  }

  private static int status(int port, String host) {
    try {
      return RawHttp.get(port, host, "/").status();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Completes a TLS handshake with {@code sni}, presenting {@code clientCert} (none when null),
   * limited to {@code protocol} (any when null). A fresh context each time, so no session is
   * resumed.
   */
  private SSLSocket handshake(String sni, String clientCert, String protocol) throws Exception {
    SSLContext ctx = context(clientCert, "ca");
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress("127.0.0.1", gw.httpsPort), 2000);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, sni, gw.httpsPort, true);
    SSLParameters p = s.getSSLParameters();
    p.setServerNames(List.of(new SNIHostName(sni)));
    p.setApplicationProtocols(new String[] {"http/1.1"});
    if (protocol != null) {
      p.setProtocols(new String[] {protocol});
    }
    s.setSSLParameters(p);
    s.setSoTimeout(5000);
    s.startHandshake();
    return s;
  }

  private SSLContext context(String keyName, String trustedCa) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certs.resolve(trustedCa + ".crt"))) {
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (keyName != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(certs.resolve(keyName + ".p12"))) {
        keys.load(in, "changeit".toCharArray());
      }
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, "changeit".toCharArray());
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  /** An HTTPS echo that requires a client certificate of the CA and reports it and the SNI. */
  private HttpsServer httpsUpstream() throws Exception {
    SSLContext ctx = context("upstream", "ca");
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(
        new HttpsConfigurator(ctx) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = ctx.getDefaultSSLParameters();
            p.setNeedClientAuth(true);
            params.setSSLParameters(p);
          }
        });
    s.createContext(
        "/",
        exchange -> {
          HttpsExchange x = (HttpsExchange) exchange;
          String client;
          try {
            client = x.getSSLSession().getPeerPrincipal().getName();
          } catch (SSLPeerUnverifiedException e) {
            client = "none";
          }
          String sni =
              x.getSSLSession() instanceof ExtendedSSLSession e
                  ? e.getRequestedServerNames().stream()
                      .map(n -> new String(n.getEncoded(), StandardCharsets.US_ASCII))
                      .collect(Collectors.joining(","))
                  : "?";
          byte[] body =
              ("client=" + client + " sni=" + sni + "\n").getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("x-echo-backend", "tls-upstream");
          // One request per connection: a CA rotation (SDS) applies to new upstream connections
          // only, and
          // Envoy would otherwise keep reusing the one verified before.
          x.getResponseHeaders().add("Connection", "close");
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    s.start();
    return s;
  }

  // --- certificates ---

  private String tlsSecret(String name, String cert, String ca) throws IOException {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
        %s
          tls.key: |
        %s
        """
            .formatted(name, indent(read(cert + ".crt")), indent(read(cert + ".key")))
        + (ca == null ? "" : "  ca.crt: |\n" + indent(read(ca + ".crt")) + "\n");
  }

  private void ca(String name, String cn) throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".crt",
        "-days",
        "2",
        "-subj",
        "/O=Gangway TEST ONLY/CN=" + cn);
  }

  /** Issues {@code <name>.crt/.key/.p12} with {@code san} from CA {@code ca}. */
  private void leaf(String name, String ca, String san, int serial) throws Exception {
    String host = san.substring(san.indexOf(':') + 1);
    Files.writeString(certs.resolve(name + ".ext"), "subjectAltName=" + san + "\n");
    openssl(
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=" + host);
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        ca + ".crt",
        "-CAkey",
        ca + ".key",
        "-set_serial",
        String.valueOf(0x2000 + serial),
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".crt");
    openssl(
        "pkcs12",
        "-export",
        "-in",
        name + ".crt",
        "-inkey",
        name + ".key",
        "-name",
        name,
        "-passout",
        "pass:changeit",
        "-out",
        name + ".p12");
  }

  private void openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(certs.toFile()).redirectErrorStream(true).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
    }
  }

  private String read(String name) throws IOException {
    return Files.readString(certs.resolve(name));
  }

  private static String indent(String pem) {
    return pem.strip().lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
  }
}
