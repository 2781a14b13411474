package io.gangway.server.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LastGoodStore} persists the last accepted version of every route document in the data
 * directory, so that a restart while a document is broken (or, with Nacos, unreachable) serves what
 * was served before instead of nothing. Written atomically (temp file + rename); a corrupt store is
 * logged and ignored, never fatal. The file may hold private keys (of {@code kubernetes.io/tls}
 * Secrets), so it is readable by its owner only where the file system allows. Used from the
 * pipeline thread only.
 */
final class LastGoodStore {

  private static final Logger log = LoggerFactory.getLogger(LastGoodStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  record Entry(
      @JsonProperty("scheme") String scheme,
      @JsonProperty("location") String location,
      @JsonProperty("version") String version,
      @JsonProperty("content") String content) {}

  private final Path file;
  private final Map<SourceRef, RouteDocument> documents = new TreeMap<>();

  LastGoodStore(Path dataDir) {
    this.file = dataDir.resolve("last-good-routes.json");
    load();
  }

  /** Returns the stored documents. */
  Map<SourceRef, RouteDocument> documents() {
    return Map.copyOf(documents);
  }

  /** Replaces the stored set; writes only when it changed. */
  void replace(Map<SourceRef, RouteDocument> next) {
    if (next.equals(documents)) {
      return;
    }
    documents.clear();
    documents.putAll(next);
    List<Entry> entries = new ArrayList<>();
    documents
        .values()
        .forEach(
            d ->
                entries.add(
                    new Entry(
                        d.source().scheme(), d.source().location(), d.version(), d.content())));
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(tmp); // not a POSIX file system
      }
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), entries);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("cannot persist last good routes to {}: {}", file, e.toString());
    }
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    try {
      // A store written by an older version may be world-readable; it may hold private keys.
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("cannot restrict the permissions of {}: {}", file, e.toString());
    }
    try {
      List<Entry> entries = JSON.readValue(file.toFile(), new TypeReference<List<Entry>>() {});
      Map<SourceRef, RouteDocument> loaded = new TreeMap<>();
      for (Entry e : entries) {
        SourceRef ref = new SourceRef(e.scheme(), e.location());
        loaded.put(ref, new RouteDocument(ref, e.content(), e.version()));
      }
      // All or nothing: a partly readable store is as untrustworthy as an unreadable one.
      documents.putAll(loaded);
      log.info("loaded last good versions of {} route documents from {}", documents.size(), file);
    } catch (IOException | RuntimeException e) {
      log.warn("ignoring unreadable last good store {}: {}", file, e.toString());
    }
  }
}
