/**
 * Control-plane metrics: Micrometer meters over the pipeline, registries and xDS, Prometheus text.
 */
@org.jspecify.annotations.NullMarked
package io.gangway.server.metrics;
