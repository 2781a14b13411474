/**
 * One class per xDS feature; {@link io.gangway.xds.feature.Features#defaults()} lists them in
 * order.
 */
@NullMarked
package io.gangway.xds.feature;

import org.jspecify.annotations.NullMarked;
