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
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code FileRouteSource} reads route documents from files and directories ({@code *.yaml},
 * {@code *.yml}, directories recursively, hidden files and editor backups skipped). It watches them
 * with the OS file-change notification and also rescans every {@code pollInterval} as a safety net;
 * a snapshot is published only when some document's content changed. A file that cannot be read
 * keeps its previous content in the snapshot: a read error never looks like a deletion.
 */
public final class FileRouteSource implements RouteSource {

  private static final Logger log = LoggerFactory.getLogger(FileRouteSource.class);

  private final List<Path> roots;
  private final Duration pollInterval;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gangway-file-source");
    t.setDaemon(true);
    return t;
  });
  private @Nullable WatchService watcher;
  private @Nullable Thread watchThread;
  private @Nullable RouteListener listener;
  private Map<Path, RouteDocument> current = Map.of();
  private Map<Path, String> stats = Map.of();

  /** Creates a source over {@code roots} (files or directories). */
  public FileRouteSource(List<Path> roots, Duration pollInterval) {
    this.roots = List.copyOf(roots);
    this.pollInterval = pollInterval;
  }

  /** Checks that every root exists; a missing one is a configuration error. */
  public void checkRoots() throws ConfigException {
    for (Path root : roots) {
      if (!Files.exists(root)) {
        throw new ConfigException("route path " + root + " does not exist. Create it, or set routes.paths in"
            + " gangway.yaml to your route files or directories");
      }
    }
  }

  /** Reads everything once, without watching (for the offline CLI). */
  public RouteSnapshot readOnce() {
    return new RouteSnapshot(List.copyOf(scan(Map.of(), false).values()));
  }

  @Override
  public void start(RouteListener listener) throws IOException {
    this.listener = Objects.requireNonNull(listener, "listener");
    current = scan(Map.of(), false);
    listener.onRoutes(new RouteSnapshot(List.copyOf(current.values())));
    WatchService ws = FileSystems.getDefault().newWatchService();
    watcher = ws;
    registerAll(ws);
    Thread t = new Thread(() -> watchLoop(ws), "gangway-file-watch");
    t.setDaemon(true);
    t.start();
    watchThread = t;
    executor.scheduleWithFixedDelay(this::poll, pollInterval.toMillis(), pollInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public String describe() {
    return "file:" + roots;
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
        key.pollEvents();
        key.reset();
        // Coalesce the burst an editor or `cp -r` produces: rescan once, a little later.
        executor.schedule(this::onChange, 50, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A change notification: list and read everything (an editor may keep size and mtime). */
  private void onChange() {
    rescan(false);
  }

  /** The safety-net poll: read only files whose size or modification time changed. */
  private void poll() {
    rescan(true);
  }

  private synchronized void rescan(boolean trustStat) {
    try {
      WatchService ws = watcher;
      if (ws != null) {
        registerAll(ws);
      }
      Map<Path, RouteDocument> next = scan(current, trustStat);
      if (!next.equals(current)) {
        current = next;
        RouteListener l = listener;
        if (l != null) {
          l.onRoutes(new RouteSnapshot(List.copyOf(next.values())));
        }
      }
    } catch (IOException | RuntimeException e) {
      RouteListener l = listener;
      if (l != null) {
        l.onError(e);
      }
    }
  }

  private void registerAll(WatchService ws) throws IOException {
    for (Path root : roots) {
      Path dir = Files.isDirectory(root) ? root : root.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> dirs = Files.isDirectory(root) ? Files.walk(root) : Stream.of(dir)) {
        for (Path d : dirs.filter(Files::isDirectory).toList()) {
          d.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_DELETE);
        }
      }
    }
  }

  /**
   * Lists and reads the documents; {@code previous} supplies content for files that fail to read, and,
   * when {@code trustStat}, for files whose size and modification time are those of the last read.
   */
  private Map<Path, RouteDocument> scan(Map<Path, RouteDocument> previous, boolean trustStat) {
    Map<Path, RouteDocument> out = new TreeMap<>();
    Map<Path, String> nextStats = new HashMap<>();
    for (Path root : roots) {
      for (Path file : list(root)) {
        String stat = stat(file);
        nextStats.put(file, stat);
        RouteDocument doc = trustStat && stat.equals(stats.get(file)) ? previous.get(file) : null;
        if (doc == null) {
          doc = read(file);
        }
        if (doc == null) {
          doc = previous.get(file);
        }
        if (doc != null) {
          out.put(file, doc);
        }
      }
    }
    stats = nextStats;
    return out;
  }

  /** Returns size and modification time, or "" when unreadable (which forces a read). */
  private static String stat(Path file) {
    try {
      return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return "";
    }
  }

  private static List<Path> list(Path root) {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).filter(FileRouteSource::isRouteFile).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      log.warn("cannot list {}: {}", root, e.toString());
      return new ArrayList<>();
    }
  }

  private static boolean isRouteFile(Path p) {
    String n = p.getFileName().toString();
    return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml"));
  }

  private final Map<Path, String> readErrors = new HashMap<>();

  private @Nullable RouteDocument read(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      // Invalid UTF-8 becomes U+FFFD, which the parser reports with its line instead of guessing.
      String text = new String(bytes, StandardCharsets.UTF_8);
      String version = Hashing.sha256().hashBytes(bytes).toString().substring(0, 12);
      synchronized (readErrors) {
        readErrors.remove(file);
      }
      return new RouteDocument(SourceRef.file(file.toString()), text, version);
    } catch (IOException e) {
      synchronized (readErrors) {
        if (readErrors.put(file, e.toString()) == null) {
          log.warn("cannot read {}, keeping its previous content: {}", file, e.toString());
        }
      }
      return null;
    }
  }
}
