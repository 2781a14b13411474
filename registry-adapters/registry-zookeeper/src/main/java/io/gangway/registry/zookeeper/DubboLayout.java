package io.gangway.registry.zookeeper;

import io.gangway.spi.registry.Endpoint;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.utils.ZKPaths;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DubboLayout} reads {@code /dubbo/<interface>/providers/<url-encoded
 * dubbo://ip:port/iface?k=v>}. One interface yields one host per (version, group): {@code
 * providers:<iface>:<version>:<group>.zookeeper}, version defaulting to {@code 0.0.0} and group to
 * empty, exactly as Higress names it. Endpoint metadata is every single-valued query parameter plus
 * {@code protocol=dubbo}. Unparsable children are skipped.
 */
final class DubboLayout implements Layout {

  private static final Logger log = LoggerFactory.getLogger(DubboLayout.class);

  /** {@code Provider} is one parsed provider URL. */
  record Provider(String host, Endpoint endpoint) {}

  @Override
  public String root() {
    return ZooKeeperSettings.DUBBO_ROOT;
  }

  @Override
  public @Nullable String serviceOf(String path) {
    String[] segments = Layout.below(root(), path);
    if (segments == null || SKIPPED.contains(segments[0])) {
      return null;
    }
    boolean relevant =
        segments.length == 1 || (segments[1].equals("providers") && segments.length <= 3);
    return relevant ? ZKPaths.makePath(root(), segments[0]) : null;
  }

  @Override
  public Map<String, List<Endpoint>> endpoints(
      String servicePath, Stream<ChildData> childrenOfService) {
    String iface = ZKPaths.getNodeFromPath(servicePath);
    String providers = servicePath + "/providers/";
    Map<String, List<Endpoint>> out = new LinkedHashMap<>();
    childrenOfService
        .map(ChildData::getPath)
        .filter(p -> p.startsWith(providers) && p.indexOf('/', providers.length()) < 0)
        .map(p -> parse(iface, p.substring(providers.length())))
        .flatMap(Optional::stream)
        .forEach(p -> out.computeIfAbsent(p.host(), h -> new ArrayList<>()).add(p.endpoint()));
    return out;
  }

  /** Parses one child name of {@code providers}; empty (and logged) when it is not a usable URL. */
  static Optional<Provider> parse(String iface, String childName) {
    try {
      String url = URLDecoder.decode(childName, StandardCharsets.UTF_8);
      int scheme = url.indexOf("://");
      if (scheme <= 0) {
        throw new IllegalArgumentException("no scheme");
      }
      String rest = url.substring(scheme + 3);
      int question = rest.indexOf('?');
      String query = question < 0 ? "" : rest.substring(question + 1);
      String authority = (question < 0 ? rest : rest.substring(0, question)).split("/", 2)[0];
      authority = authority.substring(authority.lastIndexOf('@') + 1);
      int colon = authority.lastIndexOf(':');
      if (colon <= 0 || authority.lastIndexOf(']') > colon) {
        throw new IllegalArgumentException("no port");
      }
      String address = authority.substring(0, colon);
      if (address.startsWith("[") && address.endsWith("]")) {
        address = address.substring(1, address.length() - 1);
      }
      int port = Integer.parseInt(authority.substring(colon + 1));
      Map<String, String> metadata = singleValued(query);
      metadata.put("protocol", "dubbo");
      String version = metadata.getOrDefault("version", "");
      String host =
          "providers:"
              + iface
              + ":"
              + (version.isEmpty() ? "0.0.0" : version)
              + ":"
              + metadata.getOrDefault("group", "")
              + ".zookeeper";
      return Optional.of(new Provider(host, new Endpoint(address, port, 1, metadata)));
    } catch (IllegalArgumentException e) {
      log.debug(
          "zookeeper: skipping Dubbo provider {} of {}: {}", childName, iface, e.getMessage());
      return Optional.empty();
    }
  }

  /** Returns the query parameters that occur exactly once (as Go's url.Values with one value). */
  private static Map<String, String> singleValued(String query) {
    Map<String, List<String>> all = new HashMap<>();
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      all.computeIfAbsent(key, k -> new ArrayList<>()).add(eq < 0 ? "" : pair.substring(eq + 1));
    }
    Map<String, String> out = new TreeMap<>();
    all.forEach(
        (k, v) -> {
          if (v.size() == 1) {
            out.put(k, v.get(0));
          }
        });
    return out;
  }
}
