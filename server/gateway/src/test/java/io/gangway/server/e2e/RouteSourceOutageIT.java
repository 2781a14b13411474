package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.echo.EchoServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The file route source under a hostile operator, with the real JVM and a real Envoy: the routes
 * directory moved away is an outage (traffic keeps its last good routes, an error in the log and in
 * {@code /status}); a routes directory really emptied is applied, with a warning; an unreadable
 * route file at start-up with no last good routes stops the start, naming the file.
 */
class RouteSourceOutageIT {

  private EchoServer a;
  private GatewayHarness gw;

  @BeforeEach
  void start() throws Exception {
    a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    gw = new GatewayHarness(routes());
  }

  private String routes() {
    return RouteYaml.forHost(
        RouteYaml.staticRegistry("a", "127.0.0.1:" + a.port()),
        "{name: web}",
        "a.test",
        "a.static");
  }

  private void startGateway() throws Exception {
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await("the route answers", Duration.ofSeconds(10), () -> backend().equals("a"));
  }

  @AfterEach
  void stop() throws Exception {
    gw.close();
    a.close();
  }

  @Test
  void routesDirectoryMovedAway_keepsServing_reportsAnError_thenEmptiedDirectoryIsApplied()
      throws Exception {
    startGateway();
    Path routes = gw.home.resolve("conf/routes");
    Path moved = gw.home.resolve("conf/routes.moved");

    Files.move(routes, moved);

    GatewayHarness.await(
        "/status reports the route source error",
        Duration.ofSeconds(10),
        () -> gw.gangwayAdmin("/status").contains("\"state\" : \"error\""));
    assertThat(gw.gangwayAdmin("/status")).contains("does not exist");
    Thread.sleep(1_000); // a wrongly applied empty config would be live well within this
    assertThat(backend()).as("the last good routes stay live").isEqualTo("a");
    assertThat(gw.logs())
        .contains("ERROR")
        .contains("route source file:[" + routes + "] cannot be read");

    Files.move(moved, routes);
    GatewayHarness.await(
        "the source is ok again",
        Duration.ofSeconds(10),
        () -> gw.gangwayAdmin("/status").contains("\"state\" : \"ok\""));
    Files.delete(routes.resolve("routes.yaml"));

    GatewayHarness.await(
        "an emptied directory is applied",
        Duration.ofSeconds(10),
        () -> backend().equals("status 404"));
    assertThat(gw.gangwayAdmin("/status")).contains("\"state\" : \"empty\"");
    assertThat(gw.logs()).contains("holds no route files");
  }

  @Test
  void start_unreadableRouteFile_withoutLastGoodRoutes_failsNamingTheFile() throws Exception {
    Path dangling = gw.home.resolve("conf/routes/team.yaml");
    Files.createSymbolicLink(dangling, gw.home.resolve("conf/gone.yaml"));

    assertThatThrownBy(gw::startJvm)
        .hasMessageContaining("cannot read routes from file:")
        .hasMessageContaining("cannot read " + dangling);
  }

  private String backend() {
    try {
      RawHttp.Response r = RawHttp.get(gw.httpPort, "a.test", "/");
      return r.status() == 200 ? r.backend() : "status " + r.status();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
