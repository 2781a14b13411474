package io.gangway.spi.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeepStaleWhenEmptyTest {

  /** A registry whose test drives publish() directly. */
  private static final class Manual extends AbstractRegistry {
    Manual(Map<String, Object> spec) {
      super(new RegistryConfig("nacos2", "n", spec));
    }

    @Override
    protected void doStart() {}

    void answer(List<Endpoint> endpoints) {
      publish("svc.DEFAULT-GROUP.public.nacos", endpoints, true);
    }
  }

  @Test
  void publish_authoritativeEmpty_emptiesByDefault_butNotWithKeepStaleWhenEmpty() {
    List<EndpointSet> plain = run(Map.of());
    assertThat(plain.get(plain.size() - 1).endpoints()).isEmpty();
    List<EndpointSet> keep = run(Map.of("keepStaleWhenEmpty", "true"));
    assertThat(keep).hasSize(1);
    assertThat(keep.get(0).endpoints()).containsExactly(Endpoint.of("10.0.0.1", 80));
  }

  private static List<EndpointSet> run(Map<String, Object> spec) {
    List<EndpointSet> got = new ArrayList<>();
    try (Manual r = new Manual(spec)) {
      r.start((key, set) -> got.add(set));
      r.answer(List.of(Endpoint.of("10.0.0.1", 80)));
      r.answer(List.of());
    }
    return got;
  }
}
