package io.gangway.spi.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The restart grace of {@link AbstractRegistry}: empty answers right after a restart or recovery
 * wait.
 */
class RestartGraceTest {

  private static final String HOST = "svc.dc1.consul";

  /** A registry whose test drives the protected API directly. */
  private static final class Manual extends AbstractRegistry {
    Manual(Map<String, Object> spec) {
      super(new RegistryConfig("consul", "c", spec));
    }

    @Override
    protected void doStart() {}

    void answer(List<Endpoint> endpoints) {
      publish(HOST, endpoints, true);
    }

    void restarted() {
      registryRestarted("index went backwards");
    }

    void fail() {
      reportError(new RuntimeException("connection refused"));
    }
  }

  private final List<EndpointSet> got = new CopyOnWriteArrayList<>();

  @Test
  void emptyAnswerAfterARestart_keepsTheEndpoints_untilTheGraceEnds_thenApplies() throws Exception {
    try (Manual r = started(Map.of("restartGraceMillis", "300"))) {
      r.answer(List.of(Endpoint.of("10.0.0.1", 80)));
      r.restarted();
      r.answer(List.of());

      assertThat(got).hasSize(1);
      assertThat(r.heldByRestartGrace()).containsOnlyKeys(HOST);
      awaitSize(2);
      assertThat(got.get(1).endpoints()).isEmpty();
      assertThat(r.heldByRestartGrace()).isEmpty();
    }
  }

  @Test
  void emptyAnswerAfterRecoveringFromAFailure_keepsTheEndpoints() throws Exception {
    try (Manual r = started(Map.of("restartGraceMillis", "300"))) {
      r.answer(List.of(Endpoint.of("10.0.0.1", 80)));
      r.fail();
      r.answer(List.of()); // the first answer after the outage: every check restored as critical

      assertThat(got).hasSize(1);
      assertThat(r.heldByRestartGrace()).containsOnlyKeys(HOST);
      awaitSize(2);
      assertThat(got.get(1).endpoints()).isEmpty();
    }
  }

  @Test
  void endpointsReturningDuringTheGrace_win_andNothingEmptyIsPublished() throws Exception {
    try (Manual r = started(Map.of("restartGraceMillis", "200"))) {
      r.answer(List.of(Endpoint.of("10.0.0.1", 80)));
      r.restarted();
      r.answer(List.of());
      r.answer(List.of(Endpoint.of("10.0.0.2", 80))); // re-registered
      Thread.sleep(400);

      assertThat(got).extracting(s -> s.endpoints().size()).containsExactly(1, 1);
      assertThat(r.heldByRestartGrace()).isEmpty();
    }
  }

  @Test
  void withoutARestart_anAuthoritativeEmptyAnswerAppliesAtOnce() {
    try (Manual r = started(Map.of())) {
      r.answer(List.of(Endpoint.of("10.0.0.1", 80)));
      r.answer(List.of());
      assertThat(got).hasSize(2);
    }
  }

  @Test
  void graceZero_turnsTheRuleOff() {
    try (Manual r = started(Map.of("restartGraceSeconds", "0"))) {
      r.answer(List.of(Endpoint.of("10.0.0.1", 80)));
      r.restarted();
      r.answer(List.of());
      assertThat(got).hasSize(2);
    }
  }

  private Manual started(Map<String, Object> spec) {
    Manual r = new Manual(spec);
    r.start((key, set) -> got.add(set));
    return r;
  }

  private void awaitSize(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (got.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(got).hasSize(n);
  }
}
