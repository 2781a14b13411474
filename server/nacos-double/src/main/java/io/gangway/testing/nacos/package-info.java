/**
 * A faithful Nacos 2.x/3.x server double for tests: the real {@code nacos-client} talks to {@link
 * io.gangway.testing.nacos.NacosDouble} over its own gRPC protocol (port P+1000) and the v1 HTTP
 * Open API (port P). {@link io.gangway.testing.nacos.NacosServerHandle} and {@link
 * io.gangway.testing.nacos.DoubleServerHandle} let one suite run against the double and, opt-in,
 * against a real server. Everything else except {@code NacosDouble} and its nested types is
 * package-private and may change at any time.
 */
@NullMarked
package io.gangway.testing.nacos;

import org.jspecify.annotations.NullMarked;
