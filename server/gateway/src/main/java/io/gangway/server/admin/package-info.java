/** The Gangway admin HTTP endpoint (loopback by default): readiness, status, config dump. */
@NullMarked
package io.gangway.server.admin;

import org.jspecify.annotations.NullMarked;
