package io.gangway.registry.eureka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.spi.registry.Endpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EurekaAppsTest {

  private final ObjectMapper json = new ObjectMapper();

  private Map<String, List<Endpoint>> parse(String doc) throws Exception {
    return EurekaApps.parse(json.readTree(doc.replace('\'', '"')));
  }

  @Test
  void parse_codecShape_upOnly_portRules_metadataWithoutClassMarker() throws Exception {
    Map<String, List<Endpoint>> apps =
        parse(
            """
        {'applications': {'versions__delta': '1', 'apps__hashcode': 'DOWN_1_UP_3_', 'application': [
          {'name': 'ORDERS', 'instance': [
            {'ipAddr': '10.0.0.1', 'status': 'UP', 'port': {'$': 8080, '@enabled': 'true'},
             'securePort': {'$': 443, '@enabled': 'false'}, 'metadata': {'protocol': 'grpc', 'n': 7}},
            {'ipAddr': '10.0.0.2', 'status': 'UP', 'port': {'$': 8080, '@enabled': 'false'},
             'securePort': {'$': 8443, '@enabled': 'true'}, 'metadata': {'@class': 'java.util.Collections$EmptyMap'}},
            {'ipAddr': '10.0.0.3', 'status': 'DOWN', 'port': {'$': 8080, '@enabled': 'true'}}]},
          {'name': 'SINGLE', 'instance':
            {'ipAddr': '10.0.0.4', 'status': 'UP', 'port': {'$': '9090', '@enabled': true}}}]}}
        """);
    assertThat(apps).containsOnlyKeys("ORDERS", "SINGLE");
    assertThat(apps.get("ORDERS"))
        .containsExactly(
            new Endpoint("10.0.0.1", 8080, 1, Map.of("protocol", "grpc", "n", "7")),
            new Endpoint("10.0.0.2", 8443, 1, Map.of()));
    assertThat(apps.get("SINGLE")).containsExactly(Endpoint.of("10.0.0.4", 9090));
  }

  @Test
  void parse_singleApplicationObject_andAppWithoutUpInstances() throws Exception {
    Map<String, List<Endpoint>> apps =
        parse(
            """
        {'applications': {'application': {'name': 'A', 'instance': [
            {'ipAddr': '10.0.0.1', 'status': 'OUT_OF_SERVICE', 'port': {'$': 80, '@enabled': 'true'}}]}}}
        """);
    assertThat(apps).containsExactly(Map.entry("A", List.of()));
  }

  @Test
  void parse_skipsUnaddressableInstances() throws Exception {
    Map<String, List<Endpoint>> apps =
        parse(
            """
        {'applications': {'application': [{'name': 'A', 'instance': [
            {'ipAddr': '', 'status': 'UP', 'port': {'$': 80, '@enabled': 'true'}},
            {'ipAddr': '10.0.0.2', 'status': 'UP', 'port': {'$': 0, '@enabled': 'true'}},
            {'ipAddr': '10.0.0.3', 'status': 'UP', 'port': {'$': 'x', '@enabled': 'true'}},
            {'ipAddr': '10.0.0.4', 'status': 'UP'}]}]}}
        """);
    assertThat(apps.get("A")).isEmpty();
  }

  @Test
  void parse_emptyRegistry_andWrongDocuments() throws Exception {
    assertThat(
            parse(
                "{'applications': {'versions__delta': '1', 'apps__hashcode': '', 'application': []}}"))
        .isEmpty();
    assertThatThrownBy(() -> parse("{'application': {'name': 'A'}}"))
        .hasMessageContaining("applications");
    assertThatThrownBy(() -> parse("[]")).hasMessageContaining("applications");
  }
}
