/**
 * Renders the Envoy bootstrap: who Envoy is (node), where its xDS comes from (ADS to the JVM), its
 * admin.
 */
@NullMarked
package io.gangway.bootstrap;

import org.jspecify.annotations.NullMarked;
