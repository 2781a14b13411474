package io.gangway.ingress.annotation;

import java.util.List;

/**
 * {@code AnnotationFamily} parses one family of annotations (CORS, redirects, timeouts…) into
 * policy records: the keys it declares, read through {@link Annotations}, become entries of an
 * {@link IngressPolicies.Builder}. A bad value is reported with {@link Annotations#invalid} and its
 * policy left out; a family never throws. Families are stateless and listed, in order, in {@link
 * Families}; a later family sees the route policies of the earlier ones.
 */
public interface AnnotationFamily {

  /** Returns the family's name, as {@code docs/annotations.md} and golden cases name it. */
  String name();

  /** Returns every key the family reads; {@link Families} reports any other key as unknown. */
  List<AnnotationKey> keys();

  /** Parses the family's keys of one Ingress into {@code out}. */
  void parse(Annotations annotations, IngressPolicies.Builder out);
}
