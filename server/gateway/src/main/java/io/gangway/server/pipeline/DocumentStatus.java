package io.gangway.server.pipeline;

import io.gangway.spi.route.SourceRef;
import org.jspecify.annotations.Nullable;

/**
 * {@code DocumentStatus} says what is live for one route document.
 *
 * @param source the document
 * @param latestVersion the version the source holds now
 * @param liveVersion the version being served, {@code null} when none
 * @param state {@code applied}, {@code rejected} (an older version is live) or {@code
 *     rejected-none-live}
 */
public record DocumentStatus(
    SourceRef source, String latestVersion, @Nullable String liveVersion, String state) {}
