/**
 * The {@code consul} registry: services from Consul's catalog, instances from blocking health
 * queries (consul-api), host {@code <service>.<datacenter>.consul} with every {@code _} turned into
 * {@code -}.
 */
@NullMarked
package io.gangway.registry.consul;

import org.jspecify.annotations.NullMarked;
