/**
 * One immutable record per policy family (redirects, CORS, timeouts, access control…), carried by
 * routes, virtual hosts and clusters in a typed {@link io.gangway.model.policy.Policies} set. A
 * family adds its record here, a parser in {@code io.gangway.ingress.annotation} and a feature in
 * {@code io.gangway.xds.feature}; see {@code docs/architecture.md}, "How to add an annotation
 * family".
 */
@NullMarked
package io.gangway.model.policy;

import org.jspecify.annotations.NullMarked;
