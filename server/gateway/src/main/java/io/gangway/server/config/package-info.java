/**
 * Static settings from {@code conf/gangway.yaml}: ports, bind addresses, route source, Envoy flags.
 */
@NullMarked
package io.gangway.server.config;

import org.jspecify.annotations.NullMarked;
