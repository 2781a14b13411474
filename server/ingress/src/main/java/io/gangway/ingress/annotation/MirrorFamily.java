package io.gangway.ingress.annotation;

import io.gangway.model.policy.Mirror;
import io.gangway.model.policy.NamedBackend;
import java.util.List;
import java.util.Optional;

/**
 * {@code MirrorFamily} reads the mirror annotations as Higress's {@code mirror.go}: a copy of each
 * request goes to {@code mirror-target-service} ({@code [ns/]name[:port]}, a backend name) or, when
 * that is absent, to {@code mirror-target-fqdn} at {@code mirror-target-fqdn-port} (default 80),
 * for {@code mirror-percentage} percent of the requests (default 100; 100 or more is all). Bad
 * values are warnings: the route applies without the mirror.
 */
final class MirrorFamily implements AnnotationFamily {

  static final AnnotationKey TARGET_SERVICE = AnnotationKey.of("mirror-target-service");
  static final AnnotationKey TARGET_FQDN = AnnotationKey.of("mirror-target-fqdn");
  static final AnnotationKey TARGET_FQDN_PORT = AnnotationKey.of("mirror-target-fqdn-port");
  static final AnnotationKey PERCENTAGE = AnnotationKey.of("mirror-percentage");

  @Override
  public String name() {
    return "mirror";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(TARGET_SERVICE, TARGET_FQDN, TARGET_FQDN_PORT, PERCENTAGE);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    Optional<Annotations.Value> service = a.get(TARGET_SERVICE);
    Optional<Annotations.Value> fqdn = a.get(TARGET_FQDN);
    Optional<NamedBackend> target;
    if (service.isPresent()) {
      fqdn.ifPresent(
          f -> a.warn(f, "mirror-target-service is set too and wins (as in Higress); ignored"));
      a.get(TARGET_FQDN_PORT)
          .ifPresent(p -> a.warn(p, "applies to mirror-target-fqdn only; ignored"));
      target = FallbackFamily.backend(a, service.get());
    } else if (fqdn.isPresent()) {
      int port = a.integer(TARGET_FQDN_PORT, 1, 65535).orElse(80);
      String host = fqdn.get().text();
      if (!host.matches("[A-Za-z0-9._-]+")) {
        a.invalid(fqdn.get(), "a host name such as mirror.static");
        target = Optional.empty();
      } else {
        target = Optional.of(NamedBackend.of(fqdn.get().key(), host, port));
      }
    } else {
      a.get(TARGET_FQDN_PORT).ifPresent(p -> a.warn(p, "needs mirror-target-fqdn; ignored"));
      a.get(PERCENTAGE)
          .ifPresent(p -> a.warn(p, "needs mirror-target-service or mirror-target-fqdn; ignored"));
      return;
    }
    Optional<Annotations.Value> percent = a.get(PERCENTAGE);
    if (percent.isPresent() && !percent.get().text().matches("\\d{1,9}")) {
      // Mirroring every request instead would not be what was asked.
      a.invalid(percent.get(), "a whole percentage, 0 to 100 (more is 100)");
      return;
    }
    int share = percent.map(p -> Math.min(Integer.parseInt(p.text()), 100)).orElse(100);
    if (a.has(PERCENTAGE) && percent.isEmpty()) {
      return; // an empty value, reported
    }
    target.ifPresent(t -> out.route(new Mirror(t, share)));
  }
}
