package io.gangway.registry.eureka;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Runs the shared Eureka tests against a real server, opt-in: {@code EUREKA_URL}, e.g. {@code
 * http://localhost:8761} (a path, if given, is ignored: the REST root is {@code /eureka}, as in
 * Higress). A real server's read-only response cache delays changes up to 30 s ({@code
 * eureka.server.response-cache-update-interval-ms}), so waits here are long. Test instances are
 * cancelled afterwards.
 */
@EnabledIfEnvironmentVariable(named = "EUREKA_URL", matches = ".+")
class EurekaRegistryRealServerTest extends AbstractEurekaRegistryTest {

  @Override
  protected EurekaTarget open() {
    String url = System.getenv("EUREKA_URL").trim();
    URI uri = URI.create(url.contains("://") ? url : "http://" + url);
    return new EurekaTarget(uri.getHost(), uri.getPort() < 0 ? 8761 : uri.getPort());
  }

  @Override
  protected Duration timeout() {
    return Duration.ofSeconds(90);
  }

  @Override
  protected long slackMillis() {
    return 60_000;
  }

  @Override
  protected String mode() {
    return "real server";
  }
}
