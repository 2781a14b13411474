package io.gangway.spi.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryDataTest {

  @Test
  void endpointSet_sortsAndDeduplicates() {
    EndpointSet s =
        new EndpointSet(
            "a.static",
            List.of(
                Endpoint.of("10.0.0.2", 80),
                Endpoint.of("10.0.0.1", 81),
                Endpoint.of("10.0.0.1", 80),
                Endpoint.of("10.0.0.2", 80)));
    assertThat(s.endpoints())
        .containsExactly(
            Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.1", 81), Endpoint.of("10.0.0.2", 80));
  }

  @Test
  void endpoint_invalidPortOrWeight_isRejected() {
    assertThatThrownBy(() -> Endpoint.of("10.0.0.1", 0)).hasMessage("port: 0 (expected: 1-65535)");
    assertThatThrownBy(() -> new Endpoint("10.0.0.1", 80, 0, Map.of()))
        .hasMessage("weight: 0 (expected: >= 1)");
  }

  @Test
  void registryConfig_integer_parsesStringsAndNamesABadField() {
    RegistryConfig c =
        new RegistryConfig("static", "a", Map.of("port", "80", "n", 7, "bad", "eighty"));
    assertThat(c.integer("port", 0)).isEqualTo(80);
    assertThat(c.integer("n", 0)).isEqualTo(7);
    assertThat(c.integer("missing", 5)).isEqualTo(5);
    assertThatThrownBy(() -> c.integer("bad", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad: eighty (expected: an integer)");
    assertThat(c.key()).isEqualTo("static/a");
  }

  @Test
  void registryConfig_strings_acceptsAListOrOneValue() {
    RegistryConfig c =
        new RegistryConfig("nacos2", "n", Map.of("groups", List.of("A", "B"), "one", "C"));
    assertThat(c.strings("groups")).containsExactly("A", "B");
    assertThat(c.strings("one")).containsExactly("C");
    assertThat(c.strings("none")).isEmpty();
  }
}
