package io.gangway.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;

import com.ecwid.consul.v1.health.model.Check;
import com.ecwid.consul.v1.health.model.HealthService;
import io.gangway.spi.registry.Endpoint;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthEndpointsTest {

  private static HealthService entry(
      String nodeAddr,
      String svcAddr,
      Integer port,
      Map<String, String> meta,
      Check.CheckStatus... statuses) {
    HealthService.Node node = new HealthService.Node();
    node.setAddress(nodeAddr);
    HealthService.Service svc = new HealthService.Service();
    svc.setAddress(svcAddr);
    svc.setPort(port);
    svc.setMeta(meta);
    HealthService hs = new HealthService();
    hs.setNode(node);
    hs.setService(svc);
    hs.setChecks(
        Arrays.stream(statuses)
            .map(
                s -> {
                  Check c = new Check();
                  c.setStatus(s);
                  return c;
                })
            .toList());
    return hs;
  }

  @Test
  void of_passingOnly_withNodeAddressFallback() {
    Map<String, String> meta = new HashMap<>();
    meta.put("protocol", "grpc");
    meta.put("nullValue", null);
    List<Endpoint> out =
        HealthEndpoints.of(
            List.of(
                entry(
                    "10.0.0.1",
                    "10.1.1.1",
                    80,
                    meta,
                    Check.CheckStatus.PASSING,
                    Check.CheckStatus.PASSING),
                entry("10.0.0.2", "", 81, Map.of(), Check.CheckStatus.PASSING),
                entry(
                    "10.0.0.3",
                    "10.1.1.3",
                    82,
                    Map.of(),
                    Check.CheckStatus.PASSING,
                    Check.CheckStatus.WARNING),
                entry(
                    "10.0.0.4",
                    "10.1.1.4",
                    83,
                    Map.of(),
                    Check.CheckStatus.PASSING,
                    null), // "maintenance" parses as null
                entry("10.0.0.5", "10.1.1.5", null, Map.of()),
                entry("", "", 85, Map.of())));
    assertThat(out)
        .containsExactly(
            new Endpoint("10.1.1.1", 80, 1, Map.of("protocol", "grpc")),
            new Endpoint("10.0.0.2", 81, 1, Map.of()));
  }

  @Test
  void of_nullOrEmpty_isEmpty() {
    assertThat(HealthEndpoints.of(null)).isEmpty();
    assertThat(HealthEndpoints.of(List.of())).isEmpty();
  }
}
