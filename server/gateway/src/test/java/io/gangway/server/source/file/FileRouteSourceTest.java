package io.gangway.server.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.server.config.ConfigException;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.RouteListener;
import io.gangway.spi.route.RouteSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change detection of the file source. Waiting is always "poll until a condition holds or a deadline
 * passes"; the safety-net rescan is set to an hour so that only the file-change notification can
 * deliver an edit within the deadline.
 */
class FileRouteSourceTest {

  private static final Duration DEADLINE = Duration.ofSeconds(1);

  @TempDir
  Path dir;

  private final List<RouteSnapshot> snapshots = new CopyOnWriteArrayList<>();
  private final RouteListener listener = snapshots::add;
  private FileRouteSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  private FileRouteSource start(Path... roots) throws IOException {
    source = new FileRouteSource(List.of(roots), Duration.ofHours(1));
    source.start(listener);
    return source;
  }

  /** Returns file name (relative to the temp dir) to content of a snapshot. */
  private Map<String, String> contents(RouteSnapshot s) {
    return s.documents().stream().collect(Collectors.toMap(
        d -> dir.relativize(Path.of(d.source().location())).toString(), RouteDocument::content));
  }

  private RouteSnapshot last() {
    return snapshots.get(snapshots.size() - 1);
  }

  /** Polls until a published snapshot satisfies {@code condition}; fails after the deadline. */
  private RouteSnapshot awaitSnapshot(Predicate<Map<String, String>> condition, String what) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < end) {
      for (RouteSnapshot s : snapshots) {
        if (condition.test(contents(s))) {
          return s;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no snapshot within " + DEADLINE + " where " + what + "; got "
        + snapshots.stream().map(this::contents).toList());
  }

  @Test
  void start_publishesTheInitialSnapshotBeforeReturning() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), "a: 1\n");
    Files.createDirectories(dir.resolve("team"));
    Files.writeString(dir.resolve("team/b.yml"), "b: 1\n");
    Files.writeString(dir.resolve(".hidden.yaml"), "h: 1\n");
    Files.writeString(dir.resolve("notes.txt"), "n\n");
    Files.writeString(dir.resolve("a.yaml~"), "backup\n");

    start(dir);

    assertThat(snapshots).hasSize(1);
    assertThat(contents(snapshots.get(0))).containsOnlyKeys("a.yaml", "team/b.yml").containsEntry("a.yaml", "a: 1\n");
    assertThat(snapshots.get(0).documents()).allSatisfy(d -> assertThat(d.version()).hasSize(12));
  }

  @Test
  void start_fileRoot_readsThatFile() throws IOException {
    Files.writeString(dir.resolve("one.yaml"), "x: 1\n");
    Files.writeString(dir.resolve("other.yaml"), "y: 1\n");
    start(dir.resolve("one.yaml"));
    assertThat(contents(last())).containsOnlyKeys("one.yaml");
  }

  @Test
  void edit_publishesANewSnapshotWithinOneSecond() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "v: 1\n");
    start(dir);
    String before = last().documents().get(0).version();

    Files.writeString(dir.resolve("a.yaml"), "v: 2\n");

    RouteSnapshot s = awaitSnapshot(c -> "v: 2\n".equals(c.get("a.yaml")), "a.yaml holds v: 2");
    assertThat(s.documents().get(0).version()).isNotEqualTo(before);
  }

  @Test
  void rewriteWithSameContent_publishesNothingNew() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "v: 1\n");
    Files.writeString(dir.resolve("b.yaml"), "w: 1\n");
    start(dir);

    Files.writeString(dir.resolve("a.yaml"), "v: 1\n"); // touched, same bytes
    awaitEventsSettled();
    Files.writeString(dir.resolve("b.yaml"), "w: 2\n"); // a real change, as a marker
    awaitSnapshot(c -> "w: 2\n".equals(c.get("b.yaml")), "b.yaml holds w: 2");

    // Exactly one snapshot after the initial one: the marker. The rewrite published nothing.
    assertThat(snapshots).hasSize(2);
    assertThat(contents(snapshots.get(1))).containsEntry("a.yaml", "v: 1\n").containsEntry("b.yaml", "w: 2\n");
  }

  @Test
  void newFileInANewSubdirectory_isPickedUp() throws Exception {
    start(dir);
    assertThat(contents(last())).isEmpty();

    Path sub = Files.createDirectories(dir.resolve("teams/payments"));
    Files.writeString(sub.resolve("routes.yaml"), "p: 1\n");

    awaitSnapshot(c -> "p: 1\n".equals(c.get("teams/payments/routes.yaml")), "the new file is present");
  }

  @Test
  void deletedFile_disappearsFromTheNextSnapshot() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "a: 1\n");
    Files.writeString(dir.resolve("b.yaml"), "b: 1\n");
    start(dir);

    Files.delete(dir.resolve("a.yaml"));

    awaitSnapshot(c -> c.keySet().equals(java.util.Set.of("b.yaml")), "only b.yaml is left");
  }

  @Test
  void invalidUtf8_isPassedOnWithReplacementCharacters() throws IOException {
    Files.write(dir.resolve("latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xFF, '\n'});
    start(dir);
    assertThat(contents(last()).get("latin1.yaml")).isEqualTo("a: \uFFFD\n");
  }

  @Test
  void checkRoots_missingPath_throwsConfigExceptionNamingIt() {
    Path missing = dir.resolve("no-such-dir");
    FileRouteSource s = new FileRouteSource(List.of(dir, missing), Duration.ofSeconds(5));
    assertThatThrownBy(s::checkRoots).isInstanceOf(ConfigException.class)
        .hasMessageContaining("route path " + missing + " does not exist");
  }

  @Test
  void checkRoots_existingPaths_pass() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "a: 1\n");
    new FileRouteSource(List.of(dir, dir.resolve("a.yaml")), Duration.ofSeconds(5)).checkRoots();
  }

  @Test
  void readOnce_readsWithoutWatching() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), "a: 1\n");
    RouteSnapshot s = new FileRouteSource(List.of(dir), Duration.ofSeconds(5)).readOnce();
    assertThat(contents(s)).containsOnlyKeys("a.yaml");
  }

  @Test
  void close_isIdempotentAndStopsPublishing() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "v: 1\n");
    start(dir);
    source.close();
    source.close();
    Files.writeString(dir.resolve("a.yaml"), "v: 2\n");
    awaitEventsSettled();
    assertThat(snapshots).hasSize(1);
  }

  /**
   * Lets pending file events be delivered and handled: a rescan that would publish happens within
   * tens of milliseconds of an event (the source coalesces for 50 ms). Used only before asserting that
   * nothing happened, and bounded, never as the thing a test waits for.
   */
  private static void awaitEventsSettled() throws InterruptedException {
    Thread.sleep(300);
  }
}
