/**
 * The {@code nacos2} and {@code nacos3} registries: Nacos 2.x/3.x servers through nacos-client over
 * gRPC, with server push. Host names {@code <service>.<group>.<namespace>.nacos} as Higress
 * generates.
 */
@NullMarked
package io.gangway.registry.nacos2;

import org.jspecify.annotations.NullMarked;
