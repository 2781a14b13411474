/**
 * Stage 4 of the pipeline: xDS resources → a versioned snapshot in java-control-plane's cache → ADS
 * over grpc-java to Envoy.
 */
@NullMarked
package io.gangway.server.ads;

import org.jspecify.annotations.NullMarked;
