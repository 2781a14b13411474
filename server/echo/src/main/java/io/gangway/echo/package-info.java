/**
 * The demo and test echo backend, kept out of the product module.
 *
 * <p>{@link io.gangway.echo.EchoServer} is an HTTP/1.1 and WebSocket echo backend on Javalin: the
 * quickstart uses it as the example upstream ({@code gangway echo}) and the end-to-end tests put it
 * behind a real Envoy.
 */
package io.gangway.echo;
