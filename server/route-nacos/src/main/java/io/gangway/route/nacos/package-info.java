/**
 * Stage 1, Nacos flavour: route documents from the Nacos config center over nacos-client (gRPC,
 * server push), in the simple layout (a list of dataIds) or the higress-standalone layout.
 */
@NullMarked
package io.gangway.route.nacos;

import org.jspecify.annotations.NullMarked;
