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
 * Change detection of the file source. Waiting is always "poll until a condition holds or a
 * deadline passes"; the safety-net rescan is set to an hour so that only the file-change
 * notification can deliver an edit within the deadline.
 */
class FileRouteSourceTest {

  private static final Duration DEADLINE = Duration.ofSeconds(1);

  @TempDir Path dir;

  private final List<RouteSnapshot> snapshots = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final RouteListener listener =
      new RouteListener() {
        @Override
        public void onRoutes(RouteSnapshot snapshot) {
          snapshots.add(snapshot);
        }

        @Override
        public void onError(Throwable cause) {
          errors.add(cause);
        }
      };
  private FileRouteSource source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  private FileRouteSource start(Path... roots) throws IOException {
    return start(Duration.ofHours(1), roots);
  }

  private FileRouteSource start(Duration poll, Path... roots) throws IOException {
    source = new FileRouteSource(List.of(roots), poll);
    source.start(listener);
    return source;
  }

  /** Polls until {@code condition} holds; fails after the deadline. */
  private static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + DEADLINE + ": " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Writes {@code content} to {@code file} and sets its modification time to {@code mtime}. */
  private static void write(Path file, String content, java.nio.file.attribute.FileTime mtime)
      throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, mtime);
  }

  /**
   * Points {@code link} at {@code target} atomically, as Kubernetes flips a ConfigMap's {@code
   * ..data}.
   */
  private static void flip(Path link, Path target) throws IOException {
    Path tmp = link.resolveSibling(link.getFileName() + "_tmp");
    Files.createSymbolicLink(tmp, target);
    Files.move(
        tmp,
        link,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Returns file name (relative to the temp dir) to content of a snapshot. */
  private Map<String, String> contents(RouteSnapshot s) {
    return s.documents().stream()
        .collect(
            Collectors.toMap(
                d -> dir.relativize(Path.of(d.source().location())).toString(),
                RouteDocument::content));
  }

  private RouteSnapshot last() {
    return snapshots.get(snapshots.size() - 1);
  }

  /** Polls until a published snapshot satisfies {@code condition}; fails after the deadline. */
  private RouteSnapshot awaitSnapshot(Predicate<Map<String, String>> condition, String what)
      throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < end) {
      for (RouteSnapshot s : snapshots) {
        if (condition.test(contents(s))) {
          return s;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError(
        "no snapshot within "
            + DEADLINE
            + " where "
            + what
            + "; got "
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
    assertThat(contents(snapshots.get(0)))
        .containsOnlyKeys("a.yaml", "team/b.yml")
        .containsEntry("a.yaml", "a: 1\n");
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
    assertThat(contents(snapshots.get(1)))
        .containsEntry("a.yaml", "v: 1\n")
        .containsEntry("b.yaml", "w: 2\n");
  }

  @Test
  void newFileInANewSubdirectory_isPickedUp() throws Exception {
    start(dir);
    assertThat(contents(last())).isEmpty();

    Path sub = Files.createDirectories(dir.resolve("teams/payments"));
    Files.writeString(sub.resolve("routes.yaml"), "p: 1\n");

    awaitSnapshot(
        c -> "p: 1\n".equals(c.get("teams/payments/routes.yaml")), "the new file is present");
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
    assertThatThrownBy(s::checkRoots)
        .isInstanceOf(ConfigException.class)
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

  @Test
  void symlinkedRootDirectory_isFollowed() throws IOException {
    Files.createDirectories(dir.resolve("real"));
    Files.writeString(dir.resolve("real/a.yaml"), "a: 1\n");
    Files.createSymbolicLink(dir.resolve("routes"), dir.resolve("real"));

    start(dir.resolve("routes"));

    assertThat(contents(last()))
        .containsOnlyKeys("routes/a.yaml")
        .containsEntry("routes/a.yaml", "a: 1\n");
    assertThat(source.status()).containsEntry("state", "ok").containsEntry("documents", "1");
  }

  @Test
  void symlinkedFilesAndSubdirectories_areFollowed_loopsAreSkipped() throws IOException {
    Files.createDirectories(dir.resolve("shared/team"));
    Files.writeString(dir.resolve("shared/one.yaml"), "one: 1\n");
    Files.writeString(dir.resolve("shared/team/two.yaml"), "two: 1\n");
    Path routes = Files.createDirectories(dir.resolve("routes"));
    Files.createSymbolicLink(routes.resolve("one.yaml"), dir.resolve("shared/one.yaml"));
    Files.createSymbolicLink(routes.resolve("team"), dir.resolve("shared/team"));
    Files.createSymbolicLink(routes.resolve("loop"), routes);

    start(routes);

    assertThat(contents(last())).containsOnlyKeys("routes/one.yaml", "routes/team/two.yaml");
  }

  @Test
  void configMapDataFlip_sameSizeAndMtime_isSeenOnce() throws Exception {
    // The layout of a Kubernetes ConfigMap volume: each key is a link through ..data to a
    // timestamped dir.
    java.nio.file.attribute.FileTime mtime =
        java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
    Path mount = Files.createDirectories(dir.resolve("mount"));
    write(mount.resolve("..2026_01_01_v1/routes.yaml"), "v: 1\n", mtime);
    Files.createSymbolicLink(mount.resolve("..data"), Path.of("..2026_01_01_v1"));
    Files.createSymbolicLink(mount.resolve("routes.yaml"), Path.of("..data/routes.yaml"));
    start(mount);
    assertThat(contents(last()))
        .containsOnlyKeys("mount/routes.yaml")
        .containsEntry("mount/routes.yaml", "v: 1\n");

    write(mount.resolve("..2026_01_02_v2/routes.yaml"), "v: 2\n", mtime); // same size, same mtime
    flip(mount.resolve("..data"), Path.of("..2026_01_02_v2"));

    awaitSnapshot(c -> "v: 2\n".equals(c.get("mount/routes.yaml")), "the flipped content is live");
    assertThat(contents(last())).containsOnlyKeys("mount/routes.yaml");
  }

  @Test
  void flippedRootLink_sameSizeAndMtime_isSeen() throws Exception {
    java.nio.file.attribute.FileTime mtime =
        java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
    write(dir.resolve("releases/v1/a.yaml"), "v: 1\n", mtime);
    write(dir.resolve("releases/v2/a.yaml"), "v: 2\n", mtime);
    Path routes = dir.resolve("routes");
    Files.createSymbolicLink(routes, dir.resolve("releases/v1"));
    start(routes);
    assertThat(contents(last())).containsEntry("routes/a.yaml", "v: 1\n");

    flip(routes, dir.resolve("releases/v2"));

    awaitSnapshot(
        c -> "v: 2\n".equals(c.get("routes/a.yaml")), "the release the link now names is live");
  }

  @Test
  void poll_linkTargetRewrittenWithSameSizeAndMtime_isSeen() throws Exception {
    // The link's target lives outside the routes directory; the rewrite keeps size and mtime.
    java.nio.file.attribute.FileTime mtime =
        java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L);
    Path target = dir.resolve("elsewhere/a.yaml");
    write(target, "v: 1\n", mtime);
    Path routes = Files.createDirectories(dir.resolve("routes"));
    Files.createSymbolicLink(routes.resolve("a.yaml"), target);
    start(Duration.ofMillis(100), routes);

    write(target, "v: 2\n", mtime);

    awaitSnapshot(c -> "v: 2\n".equals(c.get("routes/a.yaml")), "the rewritten content is live");
  }

  @Test
  void rootMovedAway_keepsTheLastGoodDocuments_reportsAnError_andRecovers() throws Exception {
    Path routes = Files.createDirectories(dir.resolve("routes"));
    Files.writeString(routes.resolve("a.yaml"), "a: 1\n");
    start(Duration.ofMillis(100), routes);
    assertThat(source.status()).containsEntry("state", "ok");

    Files.move(routes, dir.resolve("moved"));

    await(() -> !errors.isEmpty(), "an error is reported");
    assertThat(errors.get(0)).hasMessageContaining("route path " + routes + " does not exist");
    assertThat(source.status())
        .containsEntry("state", "error")
        .containsEntry("documents", "1")
        .hasEntrySatisfying("error", e -> assertThat(e).contains(routes.toString()));
    awaitEventsSettled();
    assertThat(snapshots).hasSize(1); // nothing published: the last good documents stay live

    Files.move(dir.resolve("moved"), routes);
    Files.writeString(routes.resolve("b.yaml"), "b: 1\n");

    awaitSnapshot(
        c -> c.keySet().equals(java.util.Set.of("routes/a.yaml", "routes/b.yaml")),
        "both files are live");
    await(() -> "ok".equals(source.status().get("state")), "the state is ok again");
  }

  @Test
  void emptiedDirectory_isApplied_asEmpty() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "a: 1\n");
    start(dir);

    Files.delete(dir.resolve("a.yaml"));

    awaitSnapshot(Map::isEmpty, "an empty snapshot is published");
    assertThat(source.status()).containsEntry("state", "empty").doesNotContainKey("error");
    assertThat(errors).isEmpty();
  }

  @Test
  void danglingLinkedFile_keepsItsLastGoodContent_andIsReported() throws Exception {
    Path target = dir.resolve("elsewhere/a.yaml");
    write(target, "a: 1\n", java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
    Path routes = Files.createDirectories(dir.resolve("routes"));
    Files.createSymbolicLink(routes.resolve("a.yaml"), target);
    Files.writeString(routes.resolve("b.yaml"), "b: 1\n");
    start(Duration.ofMillis(100), routes);

    Files.delete(target);
    Files.writeString(routes.resolve("b.yaml"), "b: 2\n");

    RouteSnapshot s =
        awaitSnapshot(c -> "b: 2\n".equals(c.get("routes/b.yaml")), "b.yaml holds b: 2");
    assertThat(contents(s)).containsEntry("routes/a.yaml", "a: 1\n");
    await(() -> !errors.isEmpty(), "an error is reported");
    assertThat(source.status())
        .containsEntry("state", "error")
        .hasEntrySatisfying(
            "error", e -> assertThat(e).contains("cannot read " + routes.resolve("a.yaml")));
  }

  @Test
  void start_unreadableFile_publishesNothing_andReportsIt() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), "a: 1\n");
    Files.createSymbolicLink(dir.resolve("b.yaml"), dir.resolve("missing.yaml"));

    start(dir);

    assertThat(snapshots).isEmpty();
    assertThat(errors)
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessageContaining("cannot read " + dir.resolve("b.yaml")));
    assertThat(source.status()).containsEntry("state", "error");
  }

  /**
   * Lets pending file events be delivered and handled: a rescan that would publish happens within
   * tens of milliseconds of an event (the source coalesces for 50 ms). Used only before asserting
   * that nothing happened, and bounded, never as the thing a test waits for.
   */
  private static void awaitEventsSettled() throws InterruptedException {
    Thread.sleep(300);
  }
}
