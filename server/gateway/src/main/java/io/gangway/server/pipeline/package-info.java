/**
 * The running pipeline: route snapshots → per-document admission (last good kept) → model →
 * registries → xDS → publish. One thread applies everything, in order; route changes are debounced,
 * endpoint changes take the EDS-only path.
 */
@NullMarked
package io.gangway.server.pipeline;

import org.jspecify.annotations.NullMarked;
