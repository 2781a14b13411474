package io.gangway.server.pipeline;

import io.gangway.model.Diagnostic;
import io.gangway.server.registry.RegistryStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code Status} is what operators see in {@code /status}: what is live, from which documents, with
 * which problems.
 *
 * @param appliedAt when the current config was last applied
 * @param documents per route document: latest and live versions
 * @param diagnostics current diagnostics, formatted {@code file:line:col: severity: message (at
 *     path)}
 * @param registries per registry: live state, since when, last error, where its endpoints come from
 * @param xdsVersions per xDS type: the version being served
 * @param counts virtual hosts, routes and clusters in the live model
 */
public record Status(
    @Nullable Instant appliedAt,
    List<DocumentStatus> documents,
    List<String> diagnostics,
    Map<String, RegistryStatus> registries,
    Map<String, String> xdsVersions,
    Map<String, Integer> counts) {

  /** Returns this status with {@code live} registry states. */
  Status withRegistries(Map<String, RegistryStatus> live) {
    return new Status(
        appliedAt,
        documents,
        diagnostics,
        java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(live)),
        xdsVersions,
        counts);
  }

  static Status initial() {
    return new Status(null, List.of(), List.of(), Map.of(), Map.of(), Map.of());
  }

  static List<String> format(List<Diagnostic> ds) {
    return ds.stream().map(Diagnostic::toString).toList();
  }
}
