package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
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
 * TLS termination end to end with the real JVM and a real Envoy: certificates are made at test time
 * with {@code openssl} (a test CA; a.test, b.test and a default certificate for {@code localhost}).
 * a.test and b.test get theirs from {@code kubernetes.io/tls} Secrets in the route file, the
 * default comes from PEM files named in {@code gangway.yaml}. The tests run in order: SNI
 * selection, ALPN h2, the HTTPS redirect, a Secret rotation, a bad key, then a rotation of the
 * default certificate file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsEndToEndIT {

  private EchoServer a;
  private EchoServer b;
  private GatewayHarness gw;
  private Path certs;
  private SSLContext trustingCa;

  @BeforeAll
  void start() throws Exception {
    a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    b = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "b");
    certs = Files.createTempDirectory("gangway-tls-e2e");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/O=Gangway TEST ONLY/CN=gangway e2e CA");
    leaf("a", "a.test", 1);
    leaf("b", "b.test", 2);
    leaf("default", "localhost", 3);
    leaf("a-rotated", "a.test", 4);
    leaf("default-rotated", "localhost", 5);
    trustingCa = sslContext(read("ca.crt"));

    gw = new GatewayHarness(routes(read("a.crt"), read("a.key")));
    gw.writeConf("certs/default.crt", read("default.crt"));
    gw.writeConf("certs/default.key", read("default.key"));
    gw.addGatewayConfig(
        """
          tls:
            listeners: [{address: 127.0.0.1, port: %d}]
            defaultCertificate: {cert: certs/default.crt, key: certs/default.key}
        """
            .formatted(gw.httpsPort));
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "the TLS listener presents a.test's certificate",
        Duration.ofSeconds(15),
        () -> subjectOr("a.test").equals("CN=a.test,O=Gangway TEST ONLY"));
  }

  @AfterAll
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    a.close();
    b.close();
  }

  /** The route file: static backends, two Secrets, a TLS Ingress and an ssl-redirect Ingress. */
  private String routes(String aCert, String aKey) throws IOException {
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: a, domain: "127.0.0.1:%d", port: 80}
            - {type: static, name: b, domain: "127.0.0.1:%d", port: 80}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: a-tls}
        type: kubernetes.io/tls
        data:
          tls.crt: %s
          tls.key: %s
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: b-tls}
        type: kubernetes.io/tls
        stringData:
          tls.crt: |
        %s
          tls.key: |
        %s
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          tls:
            - {hosts: [a.test], secretName: a-tls}
            - {hosts: [b.test], secretName: b-tls}
          rules:
            - host: a.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}
            - host: b.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: b.static, port: {number: 80}}}}
            - http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: b.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: secure
          annotations: {higress.io/ssl-redirect: "true"}
        spec:
          rules:
            - host: secure.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}
        """
        .formatted(
            a.port(),
            b.port(),
            base64(aCert),
            base64(aKey),
            indent(read("b.crt")),
            indent(read("b.key")));
  }

  @Test
  @Order(1)
  void sni_eachHostGetsItsOwnCertificate_andUnknownOrNoSniGetsTheDefault() throws Exception {
    assertThat(handshake("a.test", List.of()).getSession().getPeerPrincipal().getName())
        .isEqualTo("CN=a.test,O=Gangway TEST ONLY");
    assertThat(subjectOr("b.test")).isEqualTo("CN=b.test,O=Gangway TEST ONLY");
    assertThat(subjectOr("unknown.test"))
        .as("unknown SNI")
        .isEqualTo("CN=localhost,O=Gangway TEST ONLY");
    assertThat(subjectOr(null)).as("no SNI").isEqualTo("CN=localhost,O=Gangway TEST ONLY");
    // The chains are trusted by the CA (checked by the handshake) and requests route by Host over
    // TLS.
    try (RawHttp c = new RawHttp(handshake("a.test", List.of()))) {
      assertThat(c.send("a.test", "/x").backend()).isEqualTo("a");
      assertThat(c.send("a.test", "/y").backend()).as("keep-alive over TLS").isEqualTo("a");
    }
    try (RawHttp c = new RawHttp(handshake("b.test", List.of()))) {
      assertThat(c.send("b.test", "/").backend()).isEqualTo("b");
    }
  }

  @Test
  @Order(2)
  void alpn_offersH2_andTheJdkClientSpeaksHttp2OverTls() throws Exception {
    try (SSLSocket s = handshake("a.test", List.of("h2", "http/1.1"))) {
      assertThat(s.getApplicationProtocol()).isEqualTo("h2");
    }
    try (SSLSocket s = handshake("a.test", List.of("http/1.1"))) {
      assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
    }
    // localhost: the JDK sends no SNI for a name without a dot, so the default certificate (issued
    // for localhost) answers, and the any-host rule routes to b.
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(trustingCa)
            .version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + gw.httpsPort + "/h2"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-echo-backend")).hasValue("b");
    assertThat(r.body())
        .as("the backend learns the scheme")
        .contains("\"x-forwarded-proto\":\"https\"");
  }

  @Test
  @Order(3)
  void sslRedirect_plainHttpAnswers308ToHttps_andHttpsRoutesNormally() throws Exception {
    List<String> head = plainHead("secure.test:" + gw.httpPort, "/login?next=%2F");
    assertThat(head.get(0)).startsWith("HTTP/1.1 308");
    assertThat(head).contains("location: https://secure.test:" + gw.httpsPort + "/login?next=%2F");
    assertThat(RawHttp.get(gw.httpPort, "a.test", "/").status())
        .as("no annotation, no redirect")
        .isEqualTo(200);
    try (RawHttp c = new RawHttp(handshake("secure.test", List.of()))) {
      RawHttp.Response r = c.send("secure.test", "/login");
      assertThat(r.status()).as("over TLS the route routes").isEqualTo(200);
      assertThat(r.backend()).isEqualTo("a");
    }
  }

  @Test
  @Order(4)
  void secretRotation_isServedWithinOneSecond_withoutModifyingTheListener() throws Exception {
    long listenerModified = gw.envoyStat("listener_manager.listener_modified");
    String oldSerial = serial("a.test");
    String rotated = serialOf(read("a-rotated.crt"));
    try (RawHttp keepAlive = new RawHttp(handshake("a.test", List.of()))) {
      assertThat(keepAlive.send("a.test", "/before").backend()).isEqualTo("a");

      long t0 = System.nanoTime();
      gw.writeRoutes(routes(read("a-rotated.crt"), read("a-rotated.key")));
      GatewayHarness.await(
          "new handshakes see the rotated certificate",
          Duration.ofSeconds(5),
          () -> serialOr("a.test").equals(rotated));
      long millis = (System.nanoTime() - t0) / 1_000_000;
      System.out.println(
          "certificate rotation (file write -> new handshakes see it): " + millis + " ms");
      assertThat(millis).as("rotation propagation, ms").isLessThan(1000);
      assertThat(serial("a.test")).isNotEqualTo(oldSerial);

      assertThat(keepAlive.send("a.test", "/after").backend())
          .as("an open TLS connection survives the rotation")
          .isEqualTo("a");
    }
    assertThat(gw.envoyStat("listener_manager.listener_modified"))
        .as("listener untouched by a rotation")
        .isEqualTo(listenerModified);
    assertThat(gw.envoyStat("listener_manager.total_listeners_draining")).isZero();
    assertThat(subjectOr("b.test")).isEqualTo("CN=b.test,O=Gangway TEST ONLY");
  }

  @Test
  @Order(5)
  void badKey_isADiagnostic_andTheHostKeepsItsCertificate() throws Exception {
    String served = serial("a.test");
    String wrongKey = read("b.key");
    gw.writeRoutes(routes(read("a.crt"), wrongKey));
    GatewayHarness.await(
        "status reports the bad key",
        Duration.ofSeconds(5),
        () ->
            gw.gangwayAdmin("/status")
                .contains("tls.key: the private key does not belong to the certificate"));
    String status = gw.gangwayAdmin("/status");
    assertThat(status).contains("\"state\" : \"rejected\"").contains("Secret/a-tls.data.tls.key");
    Thread.sleep(300);
    assertThat(serial("a.test")).as("the previous certificate stays").isEqualTo(served);
    try (RawHttp c = new RawHttp(handshake("a.test", List.of()))) {
      assertThat(c.send("a.test", "/").backend()).isEqualTo("a");
    }
    // No private key anywhere an operator looks: status, the control plane's dumps, Envoy's dump.
    String keyLine = read("a-rotated.key").lines().skip(1).findFirst().orElseThrow();
    for (String text :
        List.of(
            status,
            gw.gangwayAdmin("/config_dump?type=listeners"),
            gw.gangwayAdmin("/config_dump?type=secrets"),
            gw.gangwayAdmin("/config_dump?type=all"),
            gw.envoyAdmin("/config_dump"))) {
      assertThat(text)
          .doesNotContain(keyLine)
          .doesNotContain(wrongKey.lines().skip(1).findFirst().orElseThrow())
          .doesNotContain("BEGIN PRIVATE KEY")
          .doesNotContain("BEGIN EC PRIVATE KEY");
    }
    assertThat(gw.envoyAdmin("/config_dump"))
        .as("Envoy redacts keys itself")
        .contains("[redacted]");
    for (String log : List.of("gangway.log", "gangway.out")) {
      Path file = gw.home.resolve("logs").resolve(log);
      String text = Files.exists(file) ? Files.readString(file) : "";
      assertThat(text).as(log).doesNotContain(keyLine).doesNotContain("PRIVATE KEY");
    }
    // The last good store holds the Secrets' keys: owner-only.
    assertThat(Files.getPosixFilePermissions(gw.home.resolve("data/last-good-routes.json")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  @Order(6)
  void defaultCertificateFile_rotation_isPickedUp_withoutModifyingTheListener() throws Exception {
    long listenerModified = gw.envoyStat("listener_manager.listener_modified");
    String rotated = serialOf(read("default-rotated.crt"));
    gw.writeConf("certs/default.key", read("default-rotated.key"));
    gw.writeConf("certs/default.crt", read("default-rotated.crt"));
    GatewayHarness.await(
        "the rotated default certificate is served",
        Duration.ofSeconds(10),
        () -> serialOr("unknown.test").equals(rotated));
    assertThat(gw.envoyStat("listener_manager.listener_modified")).isEqualTo(listenerModified);
    // A broken file keeps the loaded certificate and says why.
    gw.writeConf("certs/default.key", read("a.key"));
    GatewayHarness.await(
        "status reports the bad file",
        Duration.ofSeconds(10),
        () ->
            gw.gangwayAdmin("/status").contains("the previously loaded certificate stays in use"));
    assertThat(serialOr("unknown.test")).isEqualTo(rotated);
  }

  @Test
  @Order(7)
  void newTlsHost_updatesFilterChainsInPlace_andOpenConnectionsOnOtherChainsContinue()
      throws Exception {
    gw.writeRoutes(routes(read("a-rotated.crt"), read("a-rotated.key")));
    GatewayHarness.await(
        "the fixed file applies again",
        Duration.ofSeconds(5),
        () -> !gw.gangwayAdmin("/status").contains("\"state\" : \"rejected\""));
    long inPlace = gw.envoyStat("listener_manager.listener_in_place_updated");
    try (RawHttp keepAlive = new RawHttp(handshake("a.test", List.of()))) {
      assertThat(keepAlive.send("a.test", "/before").backend()).isEqualTo("a");
      // b-tls now also serves c.test: b's filter chain changes, a's does not.
      gw.writeRoutes(
          routes(read("a-rotated.crt"), read("a-rotated.key"))
              .replace(
                  "- {hosts: [b.test], secretName: b-tls}",
                  "- {hosts: [b.test, c.test], secretName: b-tls}"));
      GatewayHarness.await(
          "c.test gets b's certificate",
          Duration.ofSeconds(5),
          () -> subjectOr("c.test").equals("CN=b.test,O=Gangway TEST ONLY"));
      assertThat(gw.envoyStat("listener_manager.listener_in_place_updated")).isEqualTo(inPlace + 1);
      assertThat(keepAlive.send("a.test", "/after").backend())
          .as("a connection on an unchanged chain survives")
          .isEqualTo("a");
    }
  }

  // --- TLS client helpers ---

  /**
   * Connects to the TLS listener and completes a handshake with {@code sni} (none when null). The
   * socket is created for the SNI host (as a browser would): the JDK caches sessions by host and
   * port and, when it resumes one, sends the SNI of the cached session, whatever is asked for.
   */
  private SSLSocket handshake(String sni, List<String> alpn) throws IOException {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress("127.0.0.1", gw.httpsPort), 2000);
    SSLSocket s =
        (SSLSocket)
            trustingCa
                .getSocketFactory()
                .createSocket(plain, sni == null ? "127.0.0.1" : sni, gw.httpsPort, true);
    SSLParameters p = s.getSSLParameters();
    p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
    if (!alpn.isEmpty()) {
      p.setApplicationProtocols(alpn.toArray(String[]::new));
    }
    s.setSSLParameters(p);
    s.setSoTimeout(5000);
    s.startHandshake();
    return s;
  }

  private X509Certificate peer(String sni) throws IOException {
    try (SSLSocket s = handshake(sni, List.of())) {
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  /**
   * Returns the subject the listener presents for {@code sni}, or the failure as text (for awaits).
   */
  private String subjectOr(String sni) {
    try {
      return peer(sni).getSubjectX500Principal().getName();
    } catch (IOException e) {
      return e.toString();
    }
  }

  private String serial(String sni) throws IOException {
    return peer(sni).getSerialNumber().toString(16);
  }

  private String serialOr(String sni) {
    try {
      return serial(sni);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Sends a plain-HTTP GET and returns the status line and the headers, lower-cased names. */
  private List<String> plainHead(String host, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", gw.httpPort), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      List<String> head = new ArrayList<>();
      for (String line : response.split("\r\n")) {
        if (line.isEmpty()) {
          break;
        }
        int colon = line.indexOf(':');
        head.add(
            head.isEmpty() || colon < 0
                ? line
                : line.substring(0, colon).toLowerCase(Locale.ROOT) + line.substring(colon));
      }
      return head;
    }
  }

  private static SSLContext sslContext(String caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry(
        "ca",
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  // --- certificates ---

  /** Issues {@code <name>.crt/.key} for {@code host} from the test CA, with a fixed serial. */
  private void leaf(String name, String host, int serial) throws Exception {
    Files.writeString(certs.resolve(name + ".ext"), "subjectAltName=DNS:" + host + "\n");
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
        "/O=Gangway TEST ONLY/CN=" + host);
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-set_serial",
        String.valueOf(0x1000 + serial),
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".crt");
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

  private static String serialOf(String pem) {
    try {
      return ((X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))))
          .getSerialNumber()
          .toString(16);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static String indent(String pem) {
    return pem.lines().map(l -> "            " + l).reduce((x, y) -> x + "\n" + y).orElse("");
  }
}
