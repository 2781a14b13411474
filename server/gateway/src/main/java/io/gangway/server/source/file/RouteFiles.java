package io.gangway.server.source.file;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code RouteFiles} lists the route files below one root, following symbolic links to files and to
 * directories: a routes directory that is itself a link, files linked from elsewhere, and the
 * {@code ..data} link a Kubernetes ConfigMap mount flips atomically. Hidden entries below the root
 * ({@code .git}, and the ConfigMap's {@code ..data} and {@code ..<timestamp>} directories, whose
 * files the top-level links already name) and anything not ending in {@code .yaml}/{@code .yml} are
 * skipped; a link cycle is skipped with a note. A root that does not exist, or a directory that
 * cannot be listed, is a {@linkplain Listing#errors() problem}, never an empty listing: the caller
 * keeps what it had. Stateless.
 */
final class RouteFiles {

  /** The value in {@link Listing#watch()} that means "every entry of this directory": no names. */
  static final Set<String> ALL = Set.of();

  private RouteFiles() {}

  /**
   * One listing of one root.
   *
   * @param files the route files, sorted (through links, not resolved)
   * @param watch directories whose change notifications matter, each with the entry names that
   *     matter there ({@link #ALL} for every entry)
   * @param errors why the listing is incomplete (empty when complete)
   * @param notes harmless oddities worth one log line (a link cycle)
   */
  record Listing(
      List<Path> files, Map<Path, Set<String>> watch, List<String> errors, List<String> notes) {}

  /** Lists {@code root}, a route file or a directory. */
  static Listing list(Path root) {
    Map<Path, Set<String>> watch = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    // The root's own directory entry: its removal, return, or (for a link) flip to another target.
    Path abs = root.toAbsolutePath();
    if (abs.getParent() != null && abs.getFileName() != null) {
      watch(watch, abs.getParent(), abs.getFileName().toString());
    }
    if (!Files.exists(root)) {
      errors.add(
          Files.isSymbolicLink(root)
              ? "route path "
                  + root
                  + " is a symbolic link to "
                  + target(root)
                  + ", which does not exist"
              : "route path " + root + " does not exist (moved or deleted?)");
      return new Listing(List.of(), watch, errors, notes);
    }
    if (!Files.isDirectory(root)) {
      watchTarget(watch, root);
      return new Listing(List.of(root), watch, errors, notes);
    }
    TreeSet<Path> files = new TreeSet<>();
    try {
      Files.walkFileTree(
          root,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(root) && hidden(dir)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              watch.put(dir, ALL);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              // A dangling link arrives with the link's own attributes: keep it, so that reading it
              // fails and is reported (with the previous content kept) instead of the file
              // vanishing.
              if (!hidden(file)
                  && isRouteFile(file)
                  && (attrs.isRegularFile() || attrs.isSymbolicLink())) {
                files.add(file);
                if (attrs.isSymbolicLink() || Files.isSymbolicLink(file)) {
                  watchTarget(watch, file);
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              if (e instanceof FileSystemLoopException) {
                notes.add("skipping " + file + ": a symbolic link loop");
              } else if (!hidden(file)) {
                errors.add("cannot list " + file + ": " + e);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              if (e != null) {
                errors.add("cannot list " + dir + ": " + e);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException | RuntimeException e) {
      errors.add("cannot list " + root + ": " + e);
    }
    return new Listing(List.copyOf(files), watch, errors, notes);
  }

  /**
   * Returns whether {@code p} is a route file by name: {@code *.yaml} or {@code *.yml}, not hidden.
   */
  static boolean isRouteFile(Path p) {
    String n = p.getFileName().toString();
    return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml"));
  }

  private static boolean hidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  /** A linked file changes where its target lives: watch that directory too (for that name). */
  private static void watchTarget(Map<Path, Set<String>> watch, Path file) {
    Path abs = file.toAbsolutePath();
    if (abs.getParent() != null) {
      watch(watch, abs.getParent(), abs.getFileName().toString());
    }
    try {
      Path real = file.toRealPath();
      if (real.getParent() != null) {
        watch(watch, real.getParent(), real.getFileName().toString());
      }
    } catch (IOException e) {
      // A dangling link: the read reports it.
    }
  }

  private static void watch(Map<Path, Set<String>> watch, Path dir, String name) {
    Set<String> names = watch.get(dir);
    if (names != null && names.isEmpty()) {
      return; // already ALL
    }
    Set<String> next = new TreeSet<>(names == null ? Set.of() : names);
    next.add(name);
    watch.put(dir, next);
  }

  private static String target(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "?";
    }
  }
}
