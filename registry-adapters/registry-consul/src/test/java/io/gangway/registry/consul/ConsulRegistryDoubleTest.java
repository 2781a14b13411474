package io.gangway.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.registry.testkit.Recorder;
import io.gangway.registry.testkit.Recorder.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the shared Consul tests against {@link ConsulDouble} (ACLs on, datacenters dc1 and dc2),
 * plus what only a double can do: outages, a leaderless cluster, a second datacenter, request
 * inspection.
 */
class ConsulRegistryDoubleTest extends AbstractConsulRegistryTest {

  private static final String TOKEN = "5e3a1c2b-0000-4000-8000-00000000beef";
  private ConsulDouble consul;

  @Override
  protected ConsulTarget open() throws Exception {
    consul = ConsulDouble.start("dc1", "dc2");
    consul.enableAcl(TOKEN);
    return new ConsulTarget(consul.host(), consul.port(), "dc1", TOKEN);
  }

  @Override
  protected void shutdown() {
    consul.close();
  }

  @Test
  void healthQueries_areBlockingPassingOnlyQueriesInTheConfiguredDatacenter() throws Exception {
    String svc = p + "_blk";
    register(p + "-n1", "10.9.0.1", svc + "-1", svc, "10.9.0.1", 80, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());
    Thread.sleep(100);

    List<String> health =
        consul.requests().stream()
            .filter(r -> r.startsWith("GET /v1/health/service/" + svc + "?"))
            .toList();
    assertThat(health.get(0)).contains("dc=dc1").contains("passing").doesNotContain("index=");
    assertThat(health.get(1))
        .contains("dc=dc1")
        .contains("passing")
        .containsPattern("index=[1-9]")
        .contains("wait=30s");
    assertThat(health).hasSize(2); // the second one is parked until something changes
    assertThat(consul.requests())
        .anyMatch(r -> r.startsWith("GET /v1/catalog/services?") && r.contains("dc=dc1"));
  }

  @Test
  void secondDatacenter_hasItsOwnInstancesAndHostNames() throws Exception {
    String svc = p + "_api";
    register(p + "-n1", "10.10.1.1", svc + "-1", svc, "10.10.1.1", 80, List.of(), Map.of(), true);
    DoubleDatacenter dc2 = consul.dc("dc2");
    dc2.register(p + "-n2", "10.10.2.1", svc + "-1", svc, "10.10.2.1", 80, List.of(), Map.of());
    dc2.registerCheck(p + "-n2", "service:" + svc + "-1", "check", "passing", svc + "-1");
    Recorder rec = new Recorder();
    start(rec, spec -> spec.put("consulDatacenter", "dc2"));
    rec.awaitReady(timeout());

    assertThat(rec.addresses(p + "-api.dc2.consul")).containsExactly("10.10.2.1:80");
    assertThat(rec.events()).noneMatch(e -> e.host().endsWith(".dc1.consul"));
    assertThat(rec.addresses("consul.dc2.consul"))
        .containsExactly("127.0.0.1:8300"); // as Higress: not skipped
  }

  @Test
  void outage_agentDown_keepsEndpointsReportsOnce_andResyncsOnRecovery() throws Exception {
    String svc = p + "_out";
    String host = host(svc);
    register(p + "-n1", "10.11.0.1", svc + "-1", svc, "10.11.0.1", 80, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());
    long before = System.nanoTime();

    consul.stop();
    Thread.sleep(1500); // several retries of the catalog and of the watch
    assertThat(rec.events("error")).hasSize(1);
    assertThat(rec.events("error").get(0).error())
        .hasMessageContaining("GET http://127.0.0.1:" + target.port());
    assertThat(rec.events()).noneMatch(e -> e.nanos() > before && !e.kind().equals("error"));
    assertThat(rec.addresses(host)).containsExactly("10.11.0.1:80");

    // While the agent is down its catalog changes (the data survives, as Raft data does).
    consul
        .dc("dc1")
        .register(p + "-n2", "10.11.0.2", svc + "-2", svc, "10.11.0.2", 80, List.of(), Map.of());
    consul
        .dc("dc1")
        .registerCheck(p + "-n2", "service:" + svc + "-2", "check", "passing", svc + "-2");
    long t0 = System.nanoTime();
    consul.restart();
    Event resynced =
        rec.awaitAddresses(t0, timeout(), host, List.of("10.11.0.1:80", "10.11.0.2:80"));
    System.out.printf(
        "registry change -> publish: %d ms (consul) [resync after agent restart, double]%n",
        millis(resynced, t0));
    assertThat(rec.events("error")).hasSize(1);
  }

  @Test
  void noClusterLeader_keepsEndpoints_andRecovers() throws Exception {
    String svc = p + "_ldr";
    String host = host(svc);
    register(p + "-n1", "10.12.0.1", svc + "-1", svc, "10.12.0.1", 80, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());

    consul.leaderless(true);
    // Held queries return on the next change; make one so the watch sees the 500s.
    consul
        .dc("dc1")
        .registerCheck(p + "-n1", "service:" + svc + "-1", "check", "passing", svc + "-1");
    Event error = rec.await(0, timeout(), "an error", e -> e.kind().equals("error"));
    assertThat(error.error()).hasMessageContaining("HTTP 500 No cluster leader");
    Thread.sleep(500);
    assertThat(rec.events("error")).hasSize(1);
    assertThat(rec.addresses(host)).containsExactly("10.12.0.1:80");

    consul.leaderless(false);
    long t0 = System.nanoTime();
    register(p + "-n2", "10.12.0.2", svc + "-2", svc, "10.12.0.2", 80, List.of(), Map.of(), true);
    rec.awaitAddresses(t0, timeout(), host, List.of("10.12.0.1:80", "10.12.0.2:80"));
  }

  @Test
  void noToken_withAclsOn_reportsTheAclFilteredCatalog_insteadOfAQuietEmptyAnswer()
      throws Exception {
    String svc = p + "_anon";
    register(p + "-n1", "10.13.0.1", svc + "-1", svc, "10.13.0.1", 80, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> spec.put("consulToken", null));
    Event error = rec.await(0, timeout(), "an error", e -> e.kind().equals("error"));

    // Real Consul answers 200 {} without X-Consul-Results-Filtered-By-ACLs for the anonymous token.
    assertThat(error.error())
        .hasMessageContaining("ACL")
        .hasMessageContaining("no consulToken is set");
    rec.awaitReady(timeout());
    assertThat(rec.events("endpoints")).isEmpty();
    assertThat(consul.requests())
        .anyMatch(r -> r.startsWith("GET /v1/catalog/services?") && !r.contains("token="));
  }

  @Test
  void tokenWithoutNodeRead_reportsTheFilteredHealthRead_andPublishesNothing() throws Exception {
    String limited = "5e3a1c2b-0000-4000-8000-0000000000aa";
    consul.addServiceOnlyToken(limited);
    String svc = p + "_nonode";
    register(p + "-n1", "10.14.0.1", svc + "-1", svc, "10.14.0.1", 80, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> spec.put("consulToken", limited));
    Event error = rec.await(0, timeout(), "an error", e -> e.kind().equals("error"));

    assertThat(error.error())
        .hasMessageContaining("/v1/health/service/")
        .hasMessageContaining("X-Consul-Results-Filtered-By-ACLs")
        .hasMessageContaining("lacks the read rights");
    assertThat(error.error().getMessage()).doesNotContain(limited);
    assertThat(rec.events("endpoints")).noneMatch(e -> e.host().equals(host(svc)));
  }

  @Test
  void token_isSentAsTheXConsulTokenHeader_neverInTheUrl() throws Exception {
    String svc = p + "_hdr";
    register(p + "-n1", "10.15.0.1", svc + "-1", svc, "10.15.0.1", 80, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());

    assertThat(rec.addresses(host(svc))).containsExactly("10.15.0.1:80");
    List<String> gets = consul.requests().stream().filter(r -> r.startsWith("GET ")).toList();
    assertThat(gets).isNotEmpty().noneMatch(r -> r.contains("token="));
    assertThat(consul.tokenHeaders()).contains(TOKEN);
  }

  @Test
  void restartRestoringChecksAsCritical_keepsTheEndpointsForTheGrace_thenAppliesTheEmptyAnswer()
      throws Exception {
    String svc = p + "_rst";
    String host = host(svc);
    register(p + "-n1", "10.16.0.1", svc + "-1", svc, "10.16.0.1", 80, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> spec.put("restartGraceMillis", 2000));
    rec.awaitReady(timeout());
    long t0 = System.nanoTime();

    consul.restartWithChecksCritical(500);
    Thread.sleep(1000); // the watch and the catalog have reconnected and read the critical checks
    List<Event> emptied =
        rec.events("endpoints").stream()
            .filter(e -> e.nanos() > t0 && e.host().equals(host) && e.set().endpoints().isEmpty())
            .toList();
    System.out.printf(
        "consul restart with critical checks: %d empty publishes within 1 s (grace 2 s)%n",
        emptied.size());
    assertThat(emptied).isEmpty();
    assertThat(rec.addresses(host)).containsExactly("10.16.0.1:80");

    // The checks stay critical: after the grace the authoritative empty answer applies.
    rec.awaitAddresses(t0, timeout(), host, List.of());
  }

  @Test
  void newService_appearsWithinOneSecond_withTheDefaultThirtySecondRefresh() throws Exception {
    Recorder rec = new Recorder();
    start(rec, spec -> spec.remove(ConsulSettings.TEST_REFRESH_FIELD));
    rec.awaitReady(timeout());
    Thread.sleep(200); // the catalog query is parked
    String svc = p + "_new";

    long t0 = System.nanoTime();
    register(p + "-n1", "10.17.0.1", svc + "-1", svc, "10.17.0.1", 7000, List.of(), Map.of(), true);
    long appeared =
        millis(
            rec.awaitAddresses(t0, Duration.ofSeconds(40), host(svc), List.of("10.17.0.1:7000")),
            t0);
    System.out.printf(
        "registry change -> publish: %d ms (consul) [new service, default 30 s refresh, double]%n",
        appeared);
    assertThat(appeared).isLessThan(1000);
  }
}
