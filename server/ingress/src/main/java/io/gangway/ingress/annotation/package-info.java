/**
 * Ingress annotations → policies: an {@link io.gangway.ingress.annotation.Annotations} view with
 * Higress's prefix rule, one {@link io.gangway.ingress.annotation.AnnotationFamily} per family, and
 * the ordered {@link io.gangway.ingress.annotation.Families} list that also reports unknown keys.
 */
@NullMarked
package io.gangway.ingress.annotation;

import org.jspecify.annotations.NullMarked;
