/**
 * The {@code zookeeper} registry: Dubbo providers under {@code /dubbo} and Spring Cloud (Curator
 * service-discovery) instances under {@code /services} and {@code zkServicesPath}, watched with
 * Curator and published under the host names Higress generates.
 */
@NullMarked
package io.gangway.registry.zookeeper;

import org.jspecify.annotations.NullMarked;
