package io.gangway.registry.zookeeper;

import io.gangway.spi.registry.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.jspecify.annotations.Nullable;

/**
 * {@code Layout} maps one watched root to services: which service a changed path belongs to, and
 * the hosts and endpoints a service has now. Implementations are stateless and pure (easy to unit
 * test).
 */
interface Layout {

  /** Children of a root that are never services (Dubbo 3 config center and metadata nodes). */
  Set<String> SKIPPED = Set.of("config", "mapping", "metadata");

  /** Returns the watched root path, e.g. {@code /dubbo}. */
  String root();

  /**
   * Returns the service node path that a change at {@code path} affects, or {@code null} for none.
   */
  @Nullable String serviceOf(String path);

  /**
   * Returns host to endpoints for the service at {@code servicePath}, given the cached nodes below
   * it. A host with no endpoints may be returned (the registry then says "no instances").
   */
  Map<String, List<Endpoint>> endpoints(String servicePath, Stream<ChildData> childrenOfService);

  /**
   * Returns the path segments of {@code path} below {@code root}, or {@code null} when not below
   * it.
   */
  static String @Nullable [] below(String root, String path) {
    String prefix = root.equals("/") ? "/" : root + "/";
    if (!path.startsWith(prefix) || path.length() == prefix.length()) {
      return null;
    }
    return path.substring(prefix.length()).split("/");
  }
}
