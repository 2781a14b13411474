/**
 * Developer tools that ship with the gateway but are not part of the request path.
 *
 * <p>{@link io.gangway.server.devtools.EchoServer} is a dependency-free HTTP/1.1 and WebSocket echo
 * backend: the quickstart uses it as the example upstream and the end-to-end tests put it behind a
 * real Envoy. Everything in this package uses the JDK only, so it can run from the gateway jar
 * without the rest of the classpath.
 */
package io.gangway.server.devtools;
