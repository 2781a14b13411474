package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.YNode;
import io.gangway.spi.route.SourceRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code IngressResource} is a parsed {@code networking.k8s.io/v1} Ingress.
 *
 * @param namespace {@code metadata.namespace}, {@code default} when absent
 * @param name {@code metadata.name}
 * @param created {@code metadata.creationTimestamp}; {@code null} when absent (sorts first)
 * @param annotations {@code metadata.annotations}
 * @param ingressClass the {@code kubernetes.io/ingress.class} annotation, which takes precedence as
 *     Kubernetes requires, else {@code spec.ingressClassName}
 * @param defaultBackend {@code spec.defaultBackend}
 * @param rules {@code spec.rules}
 * @param tls {@code spec.tls}
 * @param source the document it came from
 * @param at the location of the object
 */
public record IngressResource(
    String namespace,
    String name,
    @Nullable Instant created,
    Map<String, String> annotations,
    @Nullable String ingressClass,
    @Nullable BackendRef defaultBackend,
    List<IngressRule> rules,
    List<IngressTls> tls,
    SourceRef source,
    YNode at) {

  /** Copies the collections. */
  public IngressResource {
    annotations = Map.copyOf(annotations);
    rules = List.copyOf(rules);
    tls = List.copyOf(tls);
  }

  /** Returns an Ingress without {@code spec.tls}. */
  public IngressResource(
      String namespace,
      String name,
      @Nullable Instant created,
      Map<String, String> annotations,
      @Nullable String ingressClass,
      @Nullable BackendRef defaultBackend,
      List<IngressRule> rules,
      SourceRef source,
      YNode at) {
    this(
        namespace,
        name,
        created,
        annotations,
        ingressClass,
        defaultBackend,
        rules,
        List.of(),
        source,
        at);
  }

  /** Returns {@code namespace/name}. */
  public String id() {
    return namespace + "/" + name;
  }
}
