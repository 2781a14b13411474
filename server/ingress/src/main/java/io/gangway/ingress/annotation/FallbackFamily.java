package io.gangway.ingress.annotation;

import io.gangway.model.policy.Fallback;
import io.gangway.model.policy.NamedBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code FallbackFamily} reads {@code default-backend} ({@code [ns/]name[:port]}, a backend name
 * resolved like the Ingress's own; the namespace is ignored on a VM) into a {@link Fallback} used
 * when the route's backend has no healthy endpoint, and {@code custom-http-errors} (comma-separated
 * status codes) which needs it. Bad values are warnings: the route applies without the fallback.
 */
final class FallbackFamily implements AnnotationFamily {

  static final AnnotationKey DEFAULT_BACKEND = AnnotationKey.of("default-backend");
  static final AnnotationKey CUSTOM_HTTP_ERRORS = AnnotationKey.of("custom-http-errors");

  @Override
  public String name() {
    return "fallback";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(DEFAULT_BACKEND, CUSTOM_HTTP_ERRORS);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    Optional<NamedBackend> backend = a.get(DEFAULT_BACKEND).flatMap(v -> backend(a, v));
    Optional<Annotations.Value> errors = a.get(CUSTOM_HTTP_ERRORS);
    List<Integer> codes = List.of();
    if (errors.isPresent()) {
      if (backend.isEmpty()) {
        a.warn(
            errors.get(),
            "needs a valid default-backend on the same Ingress to answer the errors; ignored");
      } else {
        codes = codes(a, errors.get());
      }
    }
    List<Integer> errorCodes = codes;
    backend.ifPresent(b -> out.route(new Fallback(b, errorCodes)));
  }

  /**
   * Parses {@code [ns/]name[:port]} as a backend of the key {@code v} was read for; reports and
   * returns empty when malformed. Shared with {@link MirrorFamily}.
   */
  static Optional<NamedBackend> backend(Annotations a, Annotations.Value v) {
    String text = v.text();
    int slash = text.indexOf('/');
    String rest = slash < 0 ? text : text.substring(slash + 1);
    int port = 0;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      String p = rest.substring(colon + 1);
      port = p.matches("\\d{1,5}") ? Integer.parseInt(p) : -1;
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty()
        || !rest.matches("[A-Za-z0-9._-]+")
        || text.indexOf('/', slash + 1) >= 0
        || port < 0
        || port > 65535
        || (colon >= 0 && port == 0)
        || (slash == 0)) {
      a.invalid(v, "[namespace/]name[:port], a backend name such as b.static or b.static:8080");
      return Optional.empty();
    }
    return Optional.of(NamedBackend.of(v.key(), rest, port));
  }

  private static List<Integer> codes(Annotations a, Annotations.Value v) {
    TreeSet<Integer> out = new TreeSet<>();
    for (String raw : v.text().split(",", -1)) {
      String c = raw.trim();
      if (!c.matches("\\d{3}") || Integer.parseInt(c) < 400 || Integer.parseInt(c) > 599) {
        a.invalid(v, "comma-separated status codes from 400 to 599; '" + c + "' is not one");
        return List.of();
      }
      out.add(Integer.parseInt(c));
    }
    return new ArrayList<>(out);
  }
}
