package io.gangway.registry.eureka;

/** The registry contract for the {@code eureka} adapter against {@link EurekaDouble}. */
class EurekaContractDoubleTest extends AbstractEurekaContractTest {

  private EurekaDouble server;

  @Override
  protected EurekaTarget open() throws Exception {
    server = EurekaDouble.start();
    return new EurekaTarget("127.0.0.1", server.port());
  }

  @Override
  protected void shutdown() {
    server.close();
  }
}
