/**
 * Stage 3 of the pipeline: the model (plus discovered endpoints) → Envoy xDS resources. No gRPC
 * here; {@code feature} holds one class per xDS feature, each patching the resources through {@link
 * io.gangway.xds.XdsFeature}.
 */
@NullMarked
package io.gangway.xds;

import org.jspecify.annotations.NullMarked;
