package io.gangway.spi.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bookkeeping every adapter relies on: dedupe, no-change silence, empty-answer protection. */
class AbstractRegistryTest {

  /** Records every callback as a line. */
  private static final class Recorder implements EndpointListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void onEndpoints(String registryKey, EndpointSet set) {
      events.add("endpoints " + registryKey + " " + set.host() + " " + set.endpoints().size());
    }

    @Override
    public void onServiceRemoved(String registryKey, String host) {
      events.add("removed " + registryKey + " " + host);
    }

    @Override
    public void onReady(String registryKey) {
      events.add("ready " + registryKey);
    }

    @Override
    public void onError(String registryKey, Throwable cause) {
      events.add("error " + registryKey + " " + cause.getMessage());
    }
  }

  /** A registry the test drives by hand. */
  private static final class Manual extends AbstractRegistry {
    int closed;

    Manual() {
      super(new RegistryConfig("static", "r", Map.of()));
    }

    @Override
    protected void doStart() {}

    @Override
    protected void doClose() {
      closed++;
    }

    void put(String host, boolean authoritative, Endpoint... endpoints) {
      publish(host, List.of(endpoints), authoritative);
    }

    void drop(String host) {
      remove(host);
    }

    void fail(String message) {
      reportError(new RuntimeException(message));
    }

    void ready() {
      markReady();
    }
  }

  private final Recorder listener = new Recorder();
  private final Manual registry = new Manual();

  @Test
  void publish_beforeStart_isDropped() {
    registry.put("a.static", true, Endpoint.of("10.0.0.1", 80));
    registry.start(listener);
    assertThat(listener.events).isEmpty();
  }

  @Test
  void publish_sameEndpointsInAnotherOrder_isSilent() {
    registry.start(listener);
    registry.put("a.static", true, Endpoint.of("10.0.0.2", 80), Endpoint.of("10.0.0.1", 80));
    registry.put(
        "a.static",
        true,
        Endpoint.of("10.0.0.1", 80),
        Endpoint.of("10.0.0.2", 80),
        Endpoint.of("10.0.0.1", 80));
    assertThat(listener.events).containsExactly("endpoints static/r a.static 2");
  }

  @Test
  void publish_emptyNonAuthoritativeAfterEndpoints_keepsTheLastKnownList() {
    registry.start(listener);
    registry.put("a.static", false, Endpoint.of("10.0.0.1", 80));
    registry.put("a.static", false);
    assertThat(listener.events).containsExactly("endpoints static/r a.static 1");
  }

  @Test
  void publish_emptyAuthoritative_isPublished() {
    registry.start(listener);
    registry.put("a.static", false, Endpoint.of("10.0.0.1", 80));
    registry.put("a.static", true);
    assertThat(listener.events)
        .containsExactly("endpoints static/r a.static 1", "endpoints static/r a.static 0");
  }

  @Test
  void reportError_repeated_isReportedOncePerFailurePeriod() {
    registry.start(listener);
    registry.fail("down");
    registry.fail("still down");
    registry.put("a.static", true, Endpoint.of("10.0.0.1", 80));
    registry.fail("down again");
    assertThat(listener.events)
        .containsExactly(
            "error static/r down", "endpoints static/r a.static 1", "error static/r down again");
  }

  @Test
  void remove_onlyForAPublishedHost() {
    registry.start(listener);
    registry.drop("never.static");
    registry.put("a.static", true, Endpoint.of("10.0.0.1", 80));
    registry.drop("a.static");
    registry.drop("a.static");
    assertThat(listener.events)
        .containsExactly("endpoints static/r a.static 1", "removed static/r a.static");
  }

  @Test
  void close_isIdempotentAndSilencesTheRegistry() {
    registry.start(listener);
    registry.close();
    registry.close();
    registry.put("a.static", true, Endpoint.of("10.0.0.1", 80));
    registry.ready();
    assertThat(registry.closed).isEqualTo(1);
    assertThat(listener.events).isEmpty();
  }

  @Test
  void start_twice_isRejected() {
    registry.start(listener);
    assertThatThrownBy(() -> registry.start(listener))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Already started: static/r");
  }
}
