package io.gangway.registry.consul;

import com.ecwid.consul.v1.health.model.Check;
import com.ecwid.consul.v1.health.model.HealthService;
import io.gangway.spi.registry.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code HealthEndpoints} turns a {@code /v1/health/service/<name>} answer into endpoints: passing
 * instances only, address {@code Service.Address} or else {@code Node.Address}, port {@code
 * Service.Port}, metadata {@code Service.Meta}. Stateless.
 */
final class HealthEndpoints {

  private HealthEndpoints() {}

  /** Returns the endpoints of every passing, addressable entry; others are skipped. */
  static List<Endpoint> of(@Nullable List<HealthService> entries) {
    List<Endpoint> out = new ArrayList<>();
    if (entries == null) {
      return out;
    }
    for (HealthService entry : entries) {
      Endpoint e = endpoint(entry);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  private static @Nullable Endpoint endpoint(HealthService entry) {
    HealthService.Service service = entry.getService();
    if (service == null || !passing(entry.getChecks())) {
      return null;
    }
    String address = service.getAddress();
    if (address == null || address.isBlank()) {
      // Consul documents an empty Service.Address as "use the node's address". Higress does not
      // fall
      // back (it would publish an empty address); we do, deliberately.
      HealthService.Node node = entry.getNode();
      address = node == null ? null : node.getAddress();
    }
    Integer port = service.getPort();
    if (address == null || address.isBlank() || port == null || port < 1 || port > 65535) {
      return null;
    }
    return new Endpoint(address.trim(), port, 1, metadata(service.getMeta()));
  }

  /** Higress keeps an entry only when its aggregated status is passing, i.e. every check passes. */
  private static boolean passing(@Nullable List<Check> checks) {
    if (checks == null) {
      return true;
    }
    for (Check c : checks) {
      // "maintenance" and unknown statuses parse as null and count as not passing.
      if (c == null || c.getStatus() != Check.CheckStatus.PASSING) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, String> metadata(@Nullable Map<String, String> meta) {
    Map<String, String> out = new HashMap<>();
    if (meta != null) {
      meta.forEach(
          (k, v) -> {
            if (k != null && v != null) {
              out.put(k, v);
            }
          });
    }
    return out;
  }
}
