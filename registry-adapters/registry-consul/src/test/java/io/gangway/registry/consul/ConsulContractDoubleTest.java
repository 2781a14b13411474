package io.gangway.registry.consul;

/** The registry contract for the {@code consul} adapter against {@link ConsulDouble} (ACLs on). */
class ConsulContractDoubleTest extends AbstractConsulContractTest {

  private ConsulDouble consul;

  @Override
  protected ConsulTarget open() throws Exception {
    consul = ConsulDouble.start("dc1");
    consul.enableAcl("contract-token");
    return new ConsulTarget(consul.host(), consul.port(), "dc1", "contract-token");
  }

  @Override
  protected void shutdown() {
    consul.close();
  }
}
