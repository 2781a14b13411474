package io.gangway.ingress.annotation;

import io.gangway.ingress.resource.IngressResource;
import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code Families} is the ordered list of annotation families, and the one place that turns an
 * Ingress's annotations into {@link IngressPolicies}. Every annotation under {@code
 * nginx.ingress.kubernetes.io/} or {@code higress.io/} that no family declares is reported here, so
 * a typo or a key Gangway does not implement is never ignored silently. Thread-safe (stateless).
 */
public final class Families {

  /** Keys read by the translator core rather than a family; declared so they are not "unknown". */
  private static final List<AnnotationKey> CORE = List.of(AnnotationKey.higress("destination"));

  private static final List<AnnotationFamily> ALL =
      List.of(
          new BackendProtocolFamily(),
          new RedirectFamily(),
          new TimeoutRetryFamily(),
          new RateLimitFamily(),
          new CanaryFamily(),
          new CorsFamily(),
          new HeaderControlFamily(),
          new RewriteFamily(),
          new MatchFamily(),
          new LoadBalanceFamily(),
          new AccessControlFamily(),
          new FallbackFamily(),
          new MirrorFamily(),
          new UpstreamTlsFamily(),
          new DownstreamTlsFamily());

  private Families() {}

  /** Returns the families in the order they parse. */
  public static List<AnnotationFamily> all() {
    return ALL;
  }

  /**
   * Parses every family's keys of {@code ing}, reporting bad values and unknown keys to {@code d}.
   * Call it with the document's diagnostics once (when the document is parsed) and with a
   * throw-away collector when translating, so each diagnostic is reported once.
   */
  public static IngressPolicies parse(IngressResource ing, Diagnostics d) {
    return parse(ing, d, SecretStore.NONE, d);
  }

  /**
   * Parses as {@link #parse(IngressResource, Diagnostics)}, resolving the Secrets annotations name
   * in {@code secrets} (when translating) and reporting the unusable ones to {@code resolution}.
   */
  public static IngressPolicies parse(
      IngressResource ing, Diagnostics d, SecretStore secrets, Diagnostics resolution) {
    if (ing.annotations().isEmpty()) {
      return IngressPolicies.none();
    }
    Annotations a = new Annotations(ing, d, secrets, resolution);
    reportUnknown(a);
    IngressPolicies.Builder out = new IngressPolicies.Builder();
    for (AnnotationFamily f : ALL) {
      f.parse(a, out);
    }
    return out.build();
  }

  private static void reportUnknown(Annotations a) {
    List<AnnotationKey> known = new ArrayList<>(CORE);
    ALL.forEach(f -> known.addAll(f.keys()));
    for (Map.Entry<String, YNode> e : a.prefixed().entrySet()) {
      String key = e.getKey();
      boolean nginx = key.startsWith(Annotations.NGINX);
      String bare =
          key.substring(nginx ? Annotations.NGINX.length() : Annotations.HIGRESS.length());
      List<AnnotationKey> matching = known.stream().filter(k -> k.matches(bare)).toList();
      if (matching.isEmpty()) {
        a.diagnostics()
            .warn(
                e.getValue(),
                "unknown annotation "
                    + key
                    + "; ignored (docs/annotations.md lists"
                    + " the supported keys)");
      } else if (nginx && matching.stream().allMatch(AnnotationKey::higressOnly)) {
        a.diagnostics()
            .warn(
                e.getValue(),
                "annotation "
                    + key
                    + " is read only as "
                    + Annotations.HIGRESS
                    + bare
                    + " (as in Higress); ignored");
      }
    }
  }
}
