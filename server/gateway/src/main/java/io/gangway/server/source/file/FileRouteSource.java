package io.gangway.server.source.file;

import com.google.common.hash.Hashing;
import io.gangway.server.config.ConfigException;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.RouteListener;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.spi.route.RouteSource;
import io.gangway.spi.route.SourceRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FileRouteSource} reads route documents from files and directories ({@code *.yaml}, {@code
 * *.yml}, directories recursively, symbolic links followed, hidden entries and editor backups
 * skipped; see {@link RouteFiles}). It watches them with the OS file-change notification and also
 * rescans every {@code pollInterval} as a safety net. Change is detected by content (a SHA-256 of
 * the bytes), never by size and modification time, so an atomic flip of a {@code ..data} link to
 * files of the same size and time is seen. A snapshot is published only when some document changed.
 *
 * <p>A missing root, a directory that cannot be listed or a file that cannot be read is an outage,
 * not a deletion: what it held stays in the snapshot (the last good content), the problem is logged
 * as an error, passed to {@link RouteListener#onError} and shown in {@link #status()} until it is
 * fixed. Before anything was published, such a problem publishes nothing at all (the gateway then
 * starts from its last good routes). A source that is readable and really holds no route files is
 * published as empty, with a warning. Thread-safe.
 */
public final class FileRouteSource implements RouteSource {

  private static final Logger log = LoggerFactory.getLogger(FileRouteSource.class);
  private static final int SHOWN_ERRORS = 3;

  private final List<Path> roots;
  private final Duration pollInterval;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gangway-file-source");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean rescanScheduled = new AtomicBoolean();

  /** Per watched directory: the entry names whose events matter (empty: all). */
  private final Map<WatchKey, Set<String>> interests = new ConcurrentHashMap<>();

  private @Nullable WatchService watcher;
  private @Nullable Thread watchThread;
  private @Nullable RouteListener listener;
  // The rest is guarded by `this`.
  private Map<Path, RouteDocument> current = Map.of();
  private Map<Path, String> hashes = Map.of();
  private boolean published;
  private Set<Path> emptyRoots = Set.of();
  private final Set<String> notes = new HashSet<>();
  private volatile SourceState state = new SourceState("starting", "", Instant.now(), 0);

  /** Creates a source over {@code roots} (files or directories). */
  public FileRouteSource(List<Path> roots, Duration pollInterval) {
    this.roots = List.copyOf(roots);
    this.pollInterval = pollInterval;
  }

  /**
   * {@code UnreadableException} is what {@link RouteListener#onError} receives from this source:
   * some route path cannot be read. It is final for the moment: unlike a network source, no retry
   * is under way that could deliver a first snapshot soon.
   */
  public static final class UnreadableException extends IOException {
    private static final long serialVersionUID = 1L;

    UnreadableException(String message) {
      super(message);
    }
  }

  /**
   * What one read of every root found.
   *
   * @param snapshot the documents that could be read
   * @param errors why some route path could not be read (empty when everything was)
   * @param emptyRoots roots that were read and hold no route file
   */
  public record Reading(RouteSnapshot snapshot, List<String> errors, List<Path> emptyRoots) {
    /** Copies the lists. */
    public Reading {
      errors = List.copyOf(errors);
      emptyRoots = List.copyOf(emptyRoots);
    }
  }

  /** Checks that every root exists; a missing one is a configuration error. */
  public void checkRoots() throws ConfigException {
    for (Path root : roots) {
      if (!Files.exists(root)) {
        throw new ConfigException(
            "route path "
                + root
                + (Files.isSymbolicLink(root)
                    ? " is a symbolic link whose target does not exist"
                    : " does not exist")
                + ". Create it, or set routes.paths in gangway.yaml to your route files or directories");
      }
    }
  }

  /** Reads everything once, without watching (for the offline CLI). */
  public RouteSnapshot readOnce() {
    return readAll().snapshot();
  }

  /** Reads everything once, without watching, and says what could not be read. */
  public synchronized Reading readAll() {
    Scan s = scan();
    return new Reading(
        new RouteSnapshot(List.copyOf(s.documents().values())), s.errors(), s.emptyRoots());
  }

  @Override
  public void start(RouteListener listener) throws IOException {
    this.listener = Objects.requireNonNull(listener, "listener");
    WatchService ws = FileSystems.getDefault().newWatchService();
    watcher = ws;
    rescan();
    Thread t = new Thread(() -> watchLoop(ws), "gangway-file-watch");
    t.setDaemon(true);
    t.start();
    watchThread = t;
    var unused =
        executor.scheduleWithFixedDelay(
            this::rescan, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public String describe() {
    return "file:" + roots;
  }

  /**
   * Returns {@code state} ({@code starting}, {@code ok}, {@code empty} or {@code error}), {@code
   * since} when, the {@code documents} count and, in state {@code error}, the {@code error}.
   */
  @Override
  public Map<String, String> status() {
    SourceState s = state;
    Map<String, String> out = new LinkedHashMap<>();
    out.put("state", s.state());
    out.put("since", s.since().toString());
    out.put("documents", Integer.toString(s.documents()));
    if (!s.error().isEmpty()) {
      out.put("error", s.error());
    }
    return out;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    WatchService ws = watcher;
    if (ws != null) {
      try {
        ws.close();
      } catch (IOException e) {
        log.debug("closing watch service", e);
      }
    }
    Thread t = watchThread;
    if (t != null) {
      t.interrupt();
    }
  }

  private void watchLoop(WatchService ws) {
    try {
      while (true) {
        WatchKey key = ws.take();
        List<WatchEvent<?>> events = key.pollEvents();
        key.reset();
        if (matters(interests.get(key), events) && rescanScheduled.compareAndSet(false, true)) {
          // Coalesce the burst an editor, `cp -r` or a ConfigMap flip produces: rescan once, a
          // little later.
          var unused =
              executor.schedule(
                  () -> {
                    rescanScheduled.set(false);
                    rescan();
                  },
                  50,
                  TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The executor was shut down by close().
      log.debug("file watch stopped", e);
    }
  }

  private static boolean matters(@Nullable Set<String> names, List<WatchEvent<?>> events) {
    if (names == null || names.isEmpty()) {
      return true;
    }
    for (WatchEvent<?> e : events) {
      if (e.kind() == StandardWatchEventKinds.OVERFLOW
          || (e.context() instanceof Path p && names.contains(p.toString()))) {
        return true;
      }
    }
    return false;
  }

  private synchronized void rescan() {
    RouteListener l = listener;
    try {
      Scan s = scan();
      WatchService ws = watcher;
      if (ws != null) {
        watch(ws, s.watch());
      }
      boolean changed = !published || !s.documents().equals(current);
      boolean publish = published ? changed : s.errors().isEmpty();
      if (publish) {
        current = s.documents();
        hashes = s.hashes();
        published = true;
      }
      report(s);
      if (publish && l != null) {
        l.onRoutes(new RouteSnapshot(List.copyOf(current.values())));
      }
    } catch (RuntimeException e) {
      log.error("rescanning {} failed; the current routes stay live", describe(), e);
      if (l != null) {
        l.onError(e);
      }
    }
  }

  /** Updates the state, and logs and reports what changed about it. */
  private void report(Scan s) {
    SourceState before = state;
    String error = summary(s.errors());
    int documents = current.size();
    String next = !s.errors().isEmpty() ? "error" : documents == 0 ? "empty" : "ok";
    if (!next.equals(before.state()) || !error.equals(before.error())) {
      state = new SourceState(next, error, Instant.now(), documents);
      if (next.equals("error")) {
        log.error(
            "route source {} cannot be read: {}. {}",
            describe(),
            error,
            published
                ? "What cannot be read keeps its last good content until this is fixed"
                : "Nothing is applied from it until this is fixed");
        RouteListener l = listener;
        if (l != null) {
          l.onError(new UnreadableException(error));
        }
      } else if (before.state().equals("error")) {
        log.info("route source {} can be read again", describe());
      }
      if (next.equals("empty")) {
        log.warn(
            "route source {} holds no route files (*.yaml, *.yml): no routes are served, every request is"
                + " answered 404",
            describe());
      }
    } else if (documents != before.documents()) {
      state = new SourceState(next, error, before.since(), documents);
    }
    Set<Path> empty = new TreeSet<>(s.emptyRoots());
    for (Path root : empty) {
      if (!emptyRoots.contains(root) && documents > 0) {
        log.warn("route path {} holds no route files (*.yaml, *.yml)", root);
      }
    }
    emptyRoots = empty;
  }

  private static String summary(List<String> errors) {
    if (errors.size() <= SHOWN_ERRORS) {
      return String.join("; ", errors);
    }
    return String.join("; ", errors.subList(0, SHOWN_ERRORS))
        + "; and "
        + (errors.size() - SHOWN_ERRORS)
        + " more";
  }

  /** Registers the directories to watch, and stops watching the ones no longer needed. */
  private void watch(WatchService ws, Map<Path, Set<String>> dirs) {
    Map<WatchKey, Set<String>> next = new HashMap<>();
    for (Map.Entry<Path, Set<String>> e : dirs.entrySet()) {
      if (!Files.isDirectory(e.getKey())) {
        continue;
      }
      try {
        WatchKey key =
            e.getKey()
                .register(
                    ws,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        next.merge(key, e.getValue(), FileRouteSource::union);
      } catch (IOException | RuntimeException ex) {
        log.debug("cannot watch {}: {}", e.getKey(), ex.toString());
      }
    }
    for (WatchKey old : List.copyOf(interests.keySet())) {
      if (!next.containsKey(old)) {
        old.cancel();
        interests.remove(old);
      }
    }
    interests.putAll(next);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return RouteFiles.ALL;
    }
    Set<String> out = new TreeSet<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * Lists and reads every root. A file whose bytes hash as before keeps its document object; what
   * cannot be listed or read keeps its last published content.
   */
  private Scan scan() {
    Map<Path, RouteDocument> docs = new TreeMap<>();
    Map<Path, String> nextHashes = new HashMap<>();
    Map<Path, Set<String>> watch = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    List<Path> empty = new ArrayList<>();
    for (Path root : roots) {
      RouteFiles.Listing listing = RouteFiles.list(root);
      listing.watch().forEach((dir, names) -> watch.merge(dir, names, FileRouteSource::union));
      listing.notes().stream().filter(notes::add).forEach(n -> log.warn("{}", n));
      errors.addAll(listing.errors());
      if (!listing.errors().isEmpty()) {
        // An incomplete listing: what this root held and was not listed now is kept, not deleted.
        Set<Path> listed = new HashSet<>(listing.files());
        current.forEach(
            (p, d) -> {
              if (p.startsWith(root) && !listed.contains(p)) {
                docs.put(p, d);
                nextHashes.put(p, hashes.get(p));
              }
            });
      } else if (listing.files().isEmpty()) {
        empty.add(root);
      }
      for (Path file : listing.files()) {
        read(file, docs, nextHashes, errors);
      }
    }
    return new Scan(docs, nextHashes, watch, errors, empty);
  }

  private void read(
      Path file, Map<Path, RouteDocument> docs, Map<Path, String> nextHashes, List<String> errors) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      errors.add("cannot read " + file + ": " + e);
      RouteDocument previous = current.get(file);
      if (previous != null) {
        docs.put(file, previous);
        nextHashes.put(file, hashes.get(file));
      }
      return;
    }
    String hash = Hashing.sha256().hashBytes(bytes).toString();
    RouteDocument previous = current.get(file);
    if (previous != null && hash.equals(hashes.get(file))) {
      docs.put(file, previous);
    } else {
      // Invalid UTF-8 becomes U+FFFD, which the parser reports with its line instead of guessing.
      docs.put(
          file,
          new RouteDocument(
              SourceRef.file(file.toString()),
              new String(bytes, StandardCharsets.UTF_8),
              hash.substring(0, 12)));
    }
    nextHashes.put(file, hash);
  }

  /** One scan: documents, their content hashes, directories to watch, and what went wrong. */
  private record Scan(
      Map<Path, RouteDocument> documents,
      Map<Path, String> hashes,
      Map<Path, Set<String>> watch,
      List<String> errors,
      List<Path> emptyRoots) {}

  /** What {@link #status()} shows. */
  private record SourceState(String state, String error, Instant since, int documents) {}
}
