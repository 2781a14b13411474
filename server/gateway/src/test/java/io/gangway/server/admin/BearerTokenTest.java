package io.gangway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BearerTokenTest {

  private static int status(HttpServer server, String authorization) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/status"));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient()
        .send(r.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static HttpServer serve(String token) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    server
        .createContext(
            "/status",
            ex -> {
              byte[] b = "ok".getBytes(StandardCharsets.UTF_8);
              ex.sendResponseHeaders(200, b.length);
              ex.getResponseBody().write(b);
              ex.close();
            })
        .getFilters()
        .add(new BearerToken(token));
    server.start();
    return server;
  }

  @Test
  void withAToken_onlyTheRightBearerIsAdmitted() throws Exception {
    HttpServer server = serve("s3cret");
    try {
      assertThat(status(server, null)).isEqualTo(401);
      assertThat(status(server, "Bearer wrong")).isEqualTo(401);
      assertThat(status(server, "Basic czNjcmV0")).isEqualTo(401);
      assertThat(status(server, "Bearer s3cret")).isEqualTo(200);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void withoutAToken_everythingIsAdmitted() throws Exception {
    HttpServer server = serve(null);
    try {
      assertThat(status(server, null)).isEqualTo(200);
    } finally {
      server.stop(0);
    }
  }
}
