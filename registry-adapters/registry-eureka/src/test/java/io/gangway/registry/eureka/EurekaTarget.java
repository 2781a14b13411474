package io.gangway.registry.eureka;

/**
 * {@code EurekaTarget} is the Eureka server a test run talks to: the in-process double or, opt-in,
 * a real server named by {@code EUREKA_URL}.
 *
 * @param host server host
 * @param port server port
 */
record EurekaTarget(String host, int port) {

  /** Returns {@code http://host:port/eureka}, the REST root Higress and Spring Cloud use. */
  String baseUrl() {
    return "http://" + host + ":" + port + "/eureka";
  }
}
