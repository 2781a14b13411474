package io.gangway.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.spi.registry.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

class LayoutTest {

  private static ChildData node(String path, String data) {
    return new ChildData(path, new Stat(), data.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void dubboParse_fullyEncodedUrl_hostAndSingleValuedMetadata() {
    String child =
        "dubbo%3A%2F%2F10.0.0.5%3A20880%2Forg.x.GreetingService%3Fanyhost%3Dtrue%26version%3D1.0.0"
            + "%26group%3Ddev%26methods%3Dgreet%2Chello%26tag%3Da%26tag%3Db";
    DubboLayout.Provider p = DubboLayout.parse("org.x.GreetingService", child).orElseThrow();
    assertThat(p.host()).isEqualTo("providers:org.x.GreetingService:1.0.0:dev.zookeeper");
    assertThat(p.endpoint())
        .isEqualTo(
            new Endpoint(
                "10.0.0.5",
                20880,
                1,
                Map.of(
                    "anyhost",
                    "true",
                    "version",
                    "1.0.0",
                    "group",
                    "dev",
                    "methods",
                    "greet,hello",
                    "protocol",
                    "dubbo")));
  }

  @Test
  void dubboParse_defaultsIpv6AndGarbage() {
    assertThat(
            DubboLayout.parse("org.x.S", "dubbo%3A%2F%2F10.0.0.5%3A20880%2Forg.x.S")
                .orElseThrow()
                .host())
        .isEqualTo("providers:org.x.S:0.0.0:.zookeeper");
    assertThat(
            DubboLayout.parse("org.x.S", "tri://[2001:db8::1]:50051/org.x.S?version=")
                .orElseThrow())
        .satisfies(p -> assertThat(p.host()).isEqualTo("providers:org.x.S:0.0.0:.zookeeper"))
        .satisfies(p -> assertThat(p.endpoint().address()).isEqualTo("2001:db8::1"))
        .satisfies(p -> assertThat(p.endpoint().metadata()).containsEntry("protocol", "dubbo"));
    assertThat(DubboLayout.parse("org.x.S", "not-a-url")).isEmpty();
    assertThat(DubboLayout.parse("org.x.S", "dubbo://10.0.0.5/org.x.S")).isEmpty();
    assertThat(DubboLayout.parse("org.x.S", "dubbo://10.0.0.5:99999/org.x.S")).isEmpty();
    assertThat(DubboLayout.parse("org.x.S", "dubbo%3A%2F%2F%ZZ")).isEmpty();
  }

  @Test
  void dubboServiceOf_onlyInterfaceAndProviders() {
    DubboLayout d = new DubboLayout();
    assertThat(d.serviceOf("/dubbo/org.x.S")).isEqualTo("/dubbo/org.x.S");
    assertThat(d.serviceOf("/dubbo/org.x.S/providers")).isEqualTo("/dubbo/org.x.S");
    assertThat(d.serviceOf("/dubbo/org.x.S/providers/u")).isEqualTo("/dubbo/org.x.S");
    assertThat(d.serviceOf("/dubbo/org.x.S/consumers/u")).isNull();
    assertThat(d.serviceOf("/dubbo/config/x")).isNull();
    assertThat(d.serviceOf("/dubbo")).isNull();
    assertThat(d.serviceOf("/dubbox/a")).isNull();
  }

  @Test
  void springHost_followsTheRootPath() {
    assertThat(new SpringCloudLayout("/services").host("svc")).isEqualTo("svc.services.zookeeper");
    assertThat(new SpringCloudLayout("/a/b").host("svc")).isEqualTo("svc.a-b.zookeeper");
    assertThat(new SpringCloudLayout("/").host("svc")).isEqualTo("svc.zookeeper");
    assertThat(new SpringCloudLayout("/").serviceOf("/svc/1")).isEqualTo("/svc");
    assertThat(new SpringCloudLayout("/").serviceOf("/zookeeper/quota")).isNull();
    assertThat(new SpringCloudLayout("/services").serviceOf("/services/mapping")).isNull();
    assertThat(new SpringCloudLayout("/services").serviceOf("/services/svc/1/deeper")).isNull();
  }

  @Test
  void springEndpoints_parseCuratorInstances_andSkipUnusableOnes() {
    SpringCloudLayout layout = new SpringCloudLayout("/services");
    Map<String, List<Endpoint>> got =
        layout.endpoints(
            "/services/svc",
            Stream.of(
                node("/services/svc", ""),
                node(
                    "/services/svc/1",
                    "{\"name\":\"svc\",\"address\":\"10.0.0.1\",\"port\":8080,"
                        + "\"payload\":{\"metadata\":{\"protocol\":\"grpc\",\"weight\":5}}}"),
                node("/services/svc/2", "{\"name\":\"svc\",\"address\":\"\",\"port\":8080}"),
                node("/services/svc/3", "garbage"),
                node(
                    "/services/svc/4",
                    "{\"name\":\"svc\",\"address\":\"10.0.0.4\",\"port\":8081}")));
    assertThat(got)
        .containsExactly(
            Map.entry(
                "svc.services.zookeeper",
                List.of(
                    new Endpoint("10.0.0.1", 8080, 1, Map.of("protocol", "grpc", "weight", "5")),
                    Endpoint.of("10.0.0.4", 8081))));
  }
}
