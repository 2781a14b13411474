package io.gangway.server.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code EndpointStore} persists the last real listing of every registry (per registry key and
 * host) in {@code data/last-known-endpoints.json}, next to the last good routes, so that a JVM
 * started while a registry is down serves the endpoints it served before instead of empty clusters.
 * Only listings the registry really gave are stored (the manager decides that); an entry is dropped
 * only when its registry leaves the McpBridge.
 *
 * <p>Writes are coalesced ({@value #WRITE_DELAY_MS} ms) on a daemon thread and atomic (temp file +
 * rename); {@link #close()} writes what is pending. A corrupt file is logged and ignored, never
 * fatal. Thread-safe.
 */
final class EndpointStore implements AutoCloseable {

  static final String FILE = "last-known-endpoints.json";
  static final int WRITE_DELAY_MS = 200;

  private static final Logger log = LoggerFactory.getLogger(EndpointStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One stored endpoint, as written in the file. */
  record StoredEndpoint(
      @JsonProperty("address") String address,
      @JsonProperty("port") int port,
      @JsonProperty("weight") int weight,
      @JsonProperty("metadata") Map<String, String> metadata) {}

  /** One registry's last listing and when it was stored. */
  record StoredRegistry(
      @JsonProperty("savedAt") String savedAt,
      @JsonProperty("services") Map<String, List<StoredEndpoint>> services) {}

  /** What a registry listed last, as loaded. */
  record Listing(Instant savedAt, Map<String, EndpointSet> sets) {}

  private final Path file;
  private final Map<String, StoredRegistry> entries = new TreeMap<>(); // guarded by this
  private final ScheduledExecutorService writer;
  private boolean dirty; // guarded by this

  EndpointStore(Path dataDir) {
    this.file = dataDir.resolve(FILE);
    this.writer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gangway-endpoint-store");
              t.setDaemon(true);
              return t;
            });
    load();
  }

  /** Returns the stored listing of {@code registryKey}, or {@code null} when none is stored. */
  synchronized @Nullable Listing get(String registryKey) {
    StoredRegistry r = entries.get(registryKey);
    if (r == null) {
      return null;
    }
    Map<String, EndpointSet> sets = new TreeMap<>();
    r.services()
        .forEach(
            (host, eps) ->
                sets.put(
                    host,
                    new EndpointSet(
                        host,
                        eps.stream()
                            .map(e -> new Endpoint(e.address(), e.port(), e.weight(), e.metadata()))
                            .toList())));
    return new Listing(Instant.parse(r.savedAt()), sets);
  }

  /** Stores {@code sets} as the last listing of {@code registryKey}; written shortly after. */
  synchronized void put(String registryKey, Collection<EndpointSet> sets) {
    Map<String, List<StoredEndpoint>> services = new TreeMap<>();
    for (EndpointSet s : sets) {
      services.put(
          s.host(),
          s.endpoints().stream()
              .map(e -> new StoredEndpoint(e.address(), e.port(), e.weight(), e.sortedMetadata()))
              .toList());
    }
    StoredRegistry old = entries.get(registryKey);
    if (old != null && old.services().equals(services)) {
      return;
    }
    entries.put(registryKey, new StoredRegistry(Instant.now().toString(), services));
    scheduleWrite();
  }

  /** Drops every registry not in {@code keys} (entries removed from the McpBridge). */
  synchronized void retain(Collection<String> keys) {
    if (entries.keySet().retainAll(keys)) {
      scheduleWrite();
    }
  }

  /** Writes what is pending and stops the writer thread. */
  @Override
  public void close() {
    writer.shutdownNow();
    flush();
  }

  private void scheduleWrite() {
    if (dirty) {
      return;
    }
    dirty = true;
    try {
      var unused = writer.schedule(this::flush, WRITE_DELAY_MS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // close() flushes.
    }
  }

  private synchronized void flush() {
    if (!dirty) {
      return;
    }
    dirty = false;
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new TreeMap<>(entries));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("cannot persist the last known endpoints to {}: {}", file, e.toString());
    }
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    try {
      Map<String, StoredRegistry> loaded =
          JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, StoredRegistry>>() {});
      List<String> problems = new ArrayList<>();
      loaded.forEach(
          (key, r) -> {
            if (r == null || r.savedAt() == null || r.services() == null) {
              problems.add(key);
            }
          });
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("incomplete entries " + problems);
      }
      // Validate every endpoint now (ports, weights), so that get() cannot fail later.
      entries.putAll(loaded);
      loaded.keySet().forEach(this::get);
      int endpoints =
          loaded.values().stream()
              .mapToInt(r -> r.services().values().stream().mapToInt(List::size).sum())
              .sum();
      log.info(
          "loaded the last known endpoints of {} registries ({} endpoints) from {}",
          loaded.size(),
          endpoints,
          file);
    } catch (IOException | RuntimeException e) {
      // All or nothing: a partly readable store is as untrustworthy as an unreadable one.
      entries.clear();
      log.warn("ignoring unreadable endpoint store {}: {}", file, e.toString());
    }
  }
}
