package io.gangway.server.pipeline;

import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.spi.route.SourceRef;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * {@code RouteCount} tells the supervisor how many routes the JVM is handling, in {@code
 * run/gangway.routes} (docs/process-contract.md), so that a JVM that dies of {@code
 * OutOfMemoryError} is reported with the count of the route set that killed it rather than with a
 * count some earlier run logged.
 *
 * <p>A route set can exhaust the heap while its YAML is being parsed, before any model exists, so
 * the count is taken before the parse, from the YAML events alone (constant memory, no node tree,
 * aliases not expanded): each item of an Ingress rule's {@code paths:} sequence is one route. A
 * changed document is counted again; the others keep their count.
 */
final class RouteCount {

  private static final Logger log = LoggerFactory.getLogger(RouteCount.class);

  private final Map<SourceRef, Counted> counted = new HashMap<>();

  private record Counted(String version, long paths) {}

  /**
   * Returns the number of {@code paths:} items in the documents of {@code snapshot}; only documents
   * new or changed since the last call are counted again. Not thread-safe (the pipeline thread
   * calls it).
   */
  long paths(RouteSnapshot snapshot) {
    Map<SourceRef, Counted> now = new HashMap<>();
    long n = 0;
    for (RouteDocument d : snapshot.documents()) {
      Counted c = counted.get(d.source());
      if (c == null || !c.version().equals(d.version())) {
        c = new Counted(d.version(), paths(d.content()));
      }
      now.put(d.source(), c);
      n += c.paths();
    }
    counted.clear();
    counted.putAll(now);
    return n;
  }

  /**
   * Returns the number of items of every {@code paths:} sequence in {@code yaml}; what parses up to
   * an error.
   */
  static long paths(String yaml) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Integer.MAX_VALUE);
    long n = 0;
    ArrayDeque<Frame> open = new ArrayDeque<>();
    try {
      for (Event e : new Yaml(options).parse(new StringReader(yaml))) {
        Event.ID id = e.getEventId();
        if (id == Event.ID.MappingEnd || id == Event.ID.SequenceEnd) {
          open.pop();
          continue;
        }
        if (id != Event.ID.Scalar
            && id != Event.ID.Alias
            && id != Event.ID.MappingStart
            && id != Event.ID.SequenceStart) {
          continue;
        }
        // e starts a node: a key or a value of the enclosing mapping, or an item of the enclosing
        // sequence
        Frame parent = open.peek();
        boolean pathsValue = false;
        if (parent != null && parent.mapping) {
          if (parent.expectKey) {
            parent.nextIsPaths = e instanceof ScalarEvent s && s.getValue().equals("paths");
          } else {
            pathsValue = parent.nextIsPaths;
            parent.nextIsPaths = false;
          }
          parent.expectKey = !parent.expectKey;
        } else if (parent != null && parent.paths) {
          n++;
        }
        if (id == Event.ID.MappingStart || id == Event.ID.SequenceStart) {
          open.push(
              new Frame(id == Event.ID.MappingStart, pathsValue && id == Event.ID.SequenceStart));
        }
      }
    } catch (RuntimeException e) {
      // a broken document: admission reports it; what was counted up to the error stands
    }
    return n;
  }

  private static final class Frame {
    final boolean mapping;
    final boolean paths;
    boolean expectKey = true;
    boolean nextIsPaths;

    Frame(boolean mapping, boolean paths) {
      this.mapping = mapping;
      this.paths = paths;
    }
  }

  /**
   * Writes {@code <count> routes} to {@code file} atomically; a failure is logged, never thrown.
   */
  static void write(Path file, long count) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, count + " routes\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.debug("cannot write {}: {}", file, e.toString());
    }
  }
}
