package io.gangway.registry.consul;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.catalog.model.CatalogDeregistration;
import com.ecwid.consul.v1.catalog.model.CatalogRegistration;
import java.util.List;
import java.util.Map;

/**
 * {@code CatalogWriter} changes a Consul catalog the way an operator would, through consul-api's
 * {@code PUT /v1/catalog/register|deregister}, so the same test code drives the double and a real
 * Consul. Every instance gets one service check, {@code service:<id>}. Not thread-safe.
 */
final class CatalogWriter {

  private final ConsulClient client;
  private final ConsulTarget target;

  CatalogWriter(ConsulTarget target) {
    this.target = target;
    this.client = new ConsulClient(target.host(), target.port());
  }

  /**
   * Registers {@code node}/{@code id} as an instance of {@code service}, with its check passing or
   * critical.
   */
  void register(
      String node,
      String nodeAddress,
      String id,
      String service,
      String address,
      int port,
      List<String> tags,
      Map<String, String> meta,
      boolean passing) {
    CatalogRegistration.Service svc = new CatalogRegistration.Service();
    svc.setId(id);
    svc.setService(service);
    svc.setAddress(address);
    svc.setPort(port);
    svc.setTags(tags);
    svc.setMeta(meta);
    CatalogRegistration reg = registration(node, nodeAddress);
    reg.setService(svc);
    reg.setCheck(check(node, id, passing));
    client.catalogRegister(reg, target.token());
  }

  /** Sets the instance's check to passing or critical. */
  void setPassing(String node, String nodeAddress, String id, boolean passing) {
    CatalogRegistration reg = registration(node, nodeAddress);
    reg.setCheck(check(node, id, passing));
    client.catalogRegister(reg, target.token());
  }

  /** Removes one instance (and its check). */
  void deregister(String node, String id) {
    CatalogDeregistration d = new CatalogDeregistration();
    d.setDatacenter(target.datacenter());
    d.setNode(node);
    d.setServiceId(id);
    client.catalogDeregister(d, target.token());
  }

  /** Removes a node and everything registered on it. */
  void deregisterNode(String node) {
    CatalogDeregistration d = new CatalogDeregistration();
    d.setDatacenter(target.datacenter());
    d.setNode(node);
    client.catalogDeregister(d, target.token());
  }

  private CatalogRegistration registration(String node, String nodeAddress) {
    CatalogRegistration reg = new CatalogRegistration();
    reg.setDatacenter(target.datacenter());
    reg.setNode(node);
    reg.setAddress(nodeAddress);
    return reg;
  }

  private static CatalogRegistration.Check check(String node, String id, boolean passing) {
    CatalogRegistration.Check check = new CatalogRegistration.Check();
    check.setNode(node);
    check.setCheckId("service:" + id);
    check.setName("gangway test check");
    check.setServiceId(id);
    check.setStatus(
        passing
            ? CatalogRegistration.CheckStatus.PASSING
            : CatalogRegistration.CheckStatus.CRITICAL);
    return check;
  }
}
