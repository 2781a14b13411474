/**
 * The immutable intermediate representation between the route documents and Envoy xDS. Nothing here
 * knows YAML or protobuf: the ingress stage produces a {@link io.gangway.model.GatewayModel}, the
 * xDS stage consumes it.
 */
@NullMarked
package io.gangway.model;

import org.jspecify.annotations.NullMarked;
