package io.gangway.registry.consul;

import org.jspecify.annotations.Nullable;

/**
 * {@code ConsulTarget} is the Consul server a test run talks to: the in-process double or, opt-in,
 * a real agent named by {@code CONSUL_ADDR} (with {@code CONSUL_TOKEN} and {@code
 * CONSUL_DATACENTER}).
 *
 * @param host agent host
 * @param port agent HTTP port
 * @param datacenter the agent's datacenter
 * @param token a token allowed to read and write the catalog, or null when ACLs are off
 */
record ConsulTarget(String host, int port, String datacenter, @Nullable String token) {}
