package io.gangway.registry.nacos2;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.spi.registry.EndpointListener;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.testing.nacos.NacosDouble;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * "Ready" must mean every listed service is published: the gateway drops the endpoints a registry
 * inherited (persisted by the previous run, or from the entry it replaced) at that moment (issue 8,
 * items 1 and 2), so a ready registry whose instances arrive later by push empties clusters
 * meanwhile.
 */
class NacosReadyIT {

  @Test
  void onReady_everyListedServiceIsAlreadyPublished() throws Exception {
    try (NacosDouble nacos = NacosDouble.start()) {
      nacos.registerInstance(
          "public", "DEFAULT_GROUP", "echo", "127.0.0.1", 8080, 1.0, true, Map.of());
      List<String> published = new CopyOnWriteArrayList<>();
      CompletableFuture<List<String>> atReady = new CompletableFuture<>();
      RegistryConfig config =
          new RegistryConfig(
              "nacos2",
              "nacos",
              Map.of(
                  "domain",
                  "127.0.0.1",
                  "port",
                  nacos.port(),
                  "nacosGroups",
                  List.of("DEFAULT_GROUP")));
      try (Registry r = new NacosRegistryProvider().create(config)) {
        r.start(
            new EndpointListener() {
              @Override
              public void onEndpoints(String registryKey, EndpointSet set) {
                published.add(set.host() + " " + set.endpoints().size());
              }

              @Override
              public void onReady(String registryKey) {
                atReady.complete(List.copyOf(published));
              }
            });
        assertThat(atReady.get(30, TimeUnit.SECONDS))
            .containsExactly("echo.DEFAULT-GROUP.public.nacos 1");
      }
    }
  }
}
