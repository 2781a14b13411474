package io.gangway.ingress.resource;

import io.gangway.ingress.resource.IngressPath.PathType;
import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import io.gangway.spi.route.RouteDocument;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code IngressParser} parses {@code networking.k8s.io/v1} Ingresses, validated as the Kubernetes
 * API server would: hosts, paths, path types, backends and {@code spec.tls}. Stateless.
 */
final class IngressParser implements KindParser {

  // RFC 1123 subdomain, lower case, optionally with a leading "*." wildcard label (Ingress host
  // rules).
  private static final Pattern HOST =
      Pattern.compile(
          "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile("^" + OCTET + "(\\." + OCTET + "){3}$");
  // The Kubernetes API server rejects these in Exact and Prefix paths (networking validation).
  private static final List<String> INVALID_PATH_SEQUENCES =
      List.of("//", "/./", "/../", "%2f", "%2F");
  private static final List<String> INVALID_PATH_SUFFIXES = List.of("/..", "/.");

  @Override
  public String kind() {
    return "Ingress";
  }

  @Override
  public String apiVersion() {
    return "networking.k8s.io/v1";
  }

  @Override
  public void parse(YNode at, RouteDocument document, Diagnostics d, ParsedObjects out) {
    IngressResource r = parseIngress(at, document, d);
    KnownFields.check(at, KnownFields.INGRESS, d);
    if (r != null) {
      out.ingresses.add(r);
    }
  }

  private @Nullable IngressResource parseIngress(YNode root, RouteDocument doc, Diagnostics d) {
    int errorsBefore = d.errorCount();
    YNode meta = root.get("metadata");
    String name = Names.requiredName(meta.get("name"), d);
    String namespace = Names.optionalName(meta.get("namespace"), "default", d);
    Instant created = timestamp(meta.get("creationTimestamp"), d);
    Map<String, String> annotations = stringMap(meta.get("annotations"), d);
    YNode spec = root.get("spec");
    // Kubernetes: "the IngressClass annotation (when set) must be given precedence over this
    // field";
    // Higress checks the annotation first too.
    String ingressClass = annotations.get("kubernetes.io/ingress.class");
    String specClass = spec.get("ingressClassName").text(d);
    if (ingressClass == null) {
      ingressClass = specClass;
    }
    BackendRef defaultBackend =
        spec.get("defaultBackend").isMissing() ? null : backend(spec.get("defaultBackend"), d);
    List<IngressRule> rules = new ArrayList<>();
    for (YNode rule : spec.get("rules").items(d)) {
      IngressRule r = rule(rule, d);
      if (r != null) {
        rules.add(r);
      }
    }
    List<IngressTls> tls = new ArrayList<>();
    for (YNode t : spec.get("tls").items(d)) {
      IngressTls entry = tls(t, d);
      if (entry != null) {
        tls.add(entry);
      }
    }
    if (rules.isEmpty() && defaultBackend == null && d.errorCount() == errorsBefore) {
      d.warn(spec, "Ingress has neither rules nor a defaultBackend; it routes nothing");
    }
    if (d.errorCount() > errorsBefore || name == null) {
      return null;
    }
    return new IngressResource(
        namespace,
        name,
        created,
        annotations,
        ingressClass,
        defaultBackend,
        rules,
        tls,
        doc.source(),
        root);
  }

  /**
   * Parses one {@code spec.tls[]} entry; hosts and secretName are validated as the API server does.
   */
  private static @Nullable IngressTls tls(YNode t, Diagnostics d) {
    int errorsBefore = d.errorCount();
    List<String> hosts = new ArrayList<>();
    for (YNode h : t.get("hosts").items(d)) {
      String host = h.text(d);
      if (host == null
          || host.length() > 253
          || !HOST.matcher(host).matches()
          || IPV4.matcher(host).matches()) {
        d.error(
            h,
            "invalid TLS host '"
                + YNode.abbreviate(host == null ? "" : host)
                + "' (expected: a lower-case DNS name, optionally starting with '*.')");
      } else {
        hosts.add(host);
      }
    }
    String secretName = t.get("secretName").text(d);
    if (secretName != null
        && !secretName.isEmpty()
        && (secretName.length() > 253 || !Names.NAME.matcher(secretName).matches())) {
      d.error(
          t.get("secretName"),
          "invalid secretName '"
              + YNode.abbreviate(secretName)
              + "' (expected: lower-case letters, digits, '-' and '.')");
    }
    if (d.errorCount() > errorsBefore) {
      return null;
    }
    // As Higress: an entry without hosts covers the rules without a host.
    return new IngressTls(
        hosts.isEmpty() ? List.of("*") : hosts,
        secretName == null || secretName.isEmpty() ? null : secretName,
        t);
  }

  private @Nullable IngressRule rule(YNode rule, Diagnostics d) {
    String host = rule.get("host").text(d);
    if (host == null || host.isEmpty()) {
      host = "*";
    } else if (host.length() > 253 || !HOST.matcher(host).matches()) {
      d.error(
          rule.get("host"),
          "invalid host '"
              + YNode.abbreviate(host)
              + "' (expected: a lower-case DNS name, optionally starting with '*.'; no port, no IP wildcard)");
      return null;
    } else if (IPV4.matcher(host).matches()) {
      d.error(
          rule.get("host"),
          "invalid host '"
              + host
              + "' (expected: a DNS name, not an IP address;"
              + " use a rule without host to match any host)");
      return null;
    }
    List<IngressPath> paths = new ArrayList<>();
    YNode http = rule.get("http");
    if (!http.isMissing() && http.get("paths").isMissing()) {
      d.error(http, "http has no paths");
    }
    for (YNode p : http.get("paths").items(d)) {
      IngressPath path = path(p, d);
      if (path != null) {
        paths.add(path);
      }
    }
    return new IngressRule(host, paths, rule);
  }

  private @Nullable IngressPath path(YNode p, Diagnostics d) {
    String path = p.get("path").text(d);
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    String type = p.get("pathType").text(d);
    PathType pathType;
    if (type == null) {
      pathType = PathType.PREFIX;
      // As Higress does for Ingresses written for old Kubernetes versions (no pathType): a trailing
      // ".*" or "/*" means "everything below", which a prefix already says.
      path = stripSuffix(stripSuffix(path, ".*"), "/*");
      path = path.isEmpty() ? "/" : path;
    } else if (type.equals("Prefix")) {
      pathType = PathType.PREFIX;
    } else if (type.equals("Exact")) {
      pathType = PathType.EXACT;
    } else if (type.equals("ImplementationSpecific")) {
      pathType = PathType.IMPLEMENTATION_SPECIFIC;
    } else {
      d.error(
          p.get("pathType"),
          "invalid pathType '"
              + YNode.abbreviate(type)
              + "' (expected: Exact, Prefix or ImplementationSpecific)");
      return null;
    }
    if (!path.startsWith("/")) {
      d.error(p.get("path"), "path '" + YNode.abbreviate(path) + "' must start with '/'");
      return null;
    }
    String invalid = invalidPath(path, type != null && !type.equals("ImplementationSpecific"));
    if (invalid != null) {
      d.error(p.get("path"), "path '" + YNode.abbreviate(path) + "' " + invalid);
      return null;
    }
    if (p.get("backend").isMissing()) {
      d.error(p, "path has no backend");
      return null;
    }
    BackendRef backend = backend(p.get("backend"), d);
    return backend == null ? null : new IngressPath(path, pathType, backend, p);
  }

  private @Nullable BackendRef backend(YNode b, Diagnostics d) {
    YNode service = b.get("service");
    YNode resource = b.get("resource");
    if (!service.isMissing() && !resource.isMissing()) {
      d.error(b, "backend sets both service and resource (expected: exactly one)");
      return null;
    }
    if (!service.isMissing()) {
      String name = service.get("name").text(d);
      if (name == null || name.isBlank()) {
        d.error(service.get("name"), "backend.service.name is required");
        return null;
      }
      YNode port = service.get("port");
      int number = port.get("number").integer(d, 0);
      if (port.get("number").isMissing() && !port.get("name").isMissing()) {
        d.warn(
            port.get("name"),
            "named service ports do not exist on VMs; the service's own port is used");
      } else if (number < 0 || number > 65535) {
        d.error(port.get("number"), "port " + number + " out of range (expected: 1-65535)");
        return null;
      }
      return new BackendRef.Service(name.trim(), number, b);
    }
    if (!resource.isMissing()) {
      String kind = resource.get("kind").text(d);
      String name = resource.get("name").text(d);
      String group = resource.get("apiGroup").text(d);
      if (kind == null || name == null) {
        d.error(resource, "backend.resource needs kind and name");
        return null;
      }
      return new BackendRef.Resource(group == null ? "" : group, kind, name, b);
    }
    d.error(b, "backend has neither service nor resource");
    return null;
  }

  /**
   * Returns why {@code path} is not a valid Ingress path, or {@code null}. A path never holds a
   * query or a fragment (Envoy rejects a whole route table whose prefix contains {@code ?} or
   * {@code #}); Exact and Prefix paths also follow the Kubernetes API server's rules, which match
   * what Envoy's path normalisation would make unreachable.
   */
  private static @Nullable String invalidPath(String path, boolean kubernetesRules) {
    if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
      return "must not contain '?' or '#' (a path has no query or fragment)";
    }
    if (!kubernetesRules) {
      return null;
    }
    for (String seq : INVALID_PATH_SEQUENCES) {
      if (path.contains(seq)) {
        return "must not contain '" + seq + "'";
      }
    }
    for (String suffix : INVALID_PATH_SUFFIXES) {
      if (path.endsWith(suffix)) {
        return "cannot end with '" + suffix + "'";
      }
    }
    return null;
  }

  private static String stripSuffix(String s, String suffix) {
    return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }

  private static @Nullable Instant timestamp(YNode n, Diagnostics d) {
    String v = n.text(d);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      d.error(
          n,
          "invalid creationTimestamp '"
              + YNode.abbreviate(v)
              + "' (expected: RFC 3339, e.g. 2026-01-02T03:04:05Z)");
      return null;
    }
  }

  private static Map<String, String> stringMap(YNode n, Diagnostics d) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, YNode> e : n.entries(d).entrySet()) {
      String v = e.getValue().text(d);
      out.put(e.getKey(), v == null ? "" : v);
    }
    return out;
  }
}
