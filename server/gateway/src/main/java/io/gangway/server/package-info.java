/**
 * The Gangway process. Subpackages follow the pipeline: {@code source} (stage 1: route documents),
 * {@code pipeline} (admission, translation, publishing), {@code registry} (endpoints), {@code xds}
 * (snapshot + ADS server), {@code admin}, {@code cli}. The stages themselves live in the {@code
 * gangway-ingress} and {@code gangway-xds} modules.
 */
@NullMarked
package io.gangway.server;

import org.jspecify.annotations.NullMarked;
