package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** {@code Names} validates object names and namespaces as the Kubernetes API server does. */
final class Names {

  static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");

  private Names() {}

  static @Nullable String requiredName(YNode n, Diagnostics d) {
    String v = n.text(d);
    if (v == null || v.isEmpty()) {
      d.error(n, "metadata.name is required");
      return null;
    }
    if (v.length() > 253 || !NAME.matcher(v).matches()) {
      d.error(
          n,
          "invalid name '"
              + YNode.abbreviate(v)
              + "' (expected: lower-case letters, digits, '-' and '.')");
      return null;
    }
    return v;
  }

  static String optionalName(YNode n, String fallback, Diagnostics d) {
    String v = n.text(d);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    if (v.length() > 63 || !NAME.matcher(v).matches()) {
      d.error(n, "invalid namespace '" + YNode.abbreviate(v) + "'");
      return fallback;
    }
    return v;
  }
}
