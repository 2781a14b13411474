package io.gangway.ingress.annotation;

import io.gangway.model.policy.HeaderControl;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code HeaderControlFamily} reads Higress's {@code
 * higress.io/request-header-control-add|update|remove} and {@code
 * higress.io/response-header-control-add|update|remove} ({@code header_control.go}) into a {@link
 * HeaderControl} for every route of the Ingress. {@code add} and {@code update} take one {@code
 * name value} per line, split at the first whitespace, with one pair of surrounding single or
 * double quotes trimmed from the value; {@code add} appends, {@code update} replaces. {@code
 * remove} takes comma-separated names. Names Envoy refuses to change ({@code :}-pseudo-headers and
 * {@code host}) are skipped with a warning rather than sent to Envoy, which would reject the whole
 * route table.
 */
final class HeaderControlFamily implements AnnotationFamily {

  static final AnnotationKey REQUEST_ADD = AnnotationKey.higress("request-header-control-add");
  static final AnnotationKey REQUEST_UPDATE =
      AnnotationKey.higress("request-header-control-update");
  static final AnnotationKey REQUEST_REMOVE =
      AnnotationKey.higress("request-header-control-remove");
  static final AnnotationKey RESPONSE_ADD = AnnotationKey.higress("response-header-control-add");
  static final AnnotationKey RESPONSE_UPDATE =
      AnnotationKey.higress("response-header-control-update");
  static final AnnotationKey RESPONSE_REMOVE =
      AnnotationKey.higress("response-header-control-remove");

  /** An HTTP field name (RFC 9110 token). */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  @Override
  public String name() {
    return "header-control";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(
        REQUEST_ADD,
        REQUEST_UPDATE,
        REQUEST_REMOVE,
        RESPONSE_ADD,
        RESPONSE_UPDATE,
        RESPONSE_REMOVE);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    HeaderControl.Operations request = operations(a, REQUEST_ADD, REQUEST_UPDATE, REQUEST_REMOVE);
    HeaderControl.Operations response =
        operations(a, RESPONSE_ADD, RESPONSE_UPDATE, RESPONSE_REMOVE);
    if (!request.isEmpty() || !response.isEmpty()) {
      out.route(new HeaderControl(request, response));
    }
  }

  private static HeaderControl.Operations operations(
      Annotations a, AnnotationKey add, AnnotationKey update, AnnotationKey remove) {
    Map<String, String> added = a.get(add).map(v -> pairs(a, v)).orElse(Map.of());
    Map<String, String> updated = a.get(update).map(v -> pairs(a, v)).orElse(Map.of());
    List<String> removed = a.get(remove).map(v -> names(a, v)).orElse(List.of());
    return HeaderControl.Operations.of(added, updated, removed);
  }

  private static Map<String, String> pairs(Annotations a, Annotations.Value v) {
    Map<String, String> out = new TreeMap<>();
    boolean reported = false;
    for (String line : v.text().split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      String[] kv = WHITESPACE.split(line.trim(), 2);
      if (kv.length != 2) {
        a.warn(v, "line '" + line + "' skipped (expected: a header name, whitespace, a value)");
        reported = true;
        continue;
      }
      String name = name(a, v, kv[0]);
      if (name == null) {
        reported = true;
        continue;
      }
      if (out.put(name, unquote(kv[1].trim())) != null) {
        a.warn(v, "header " + name + " is given more than once; the last line wins");
      }
    }
    if (out.isEmpty() && !reported) {
      a.invalid(v, "one 'name value' line per header");
    }
    return out;
  }

  private static List<String> names(Annotations a, Annotations.Value v) {
    Set<String> out = new LinkedHashSet<>();
    boolean reported = false;
    for (String item : v.text().split(",", -1)) {
      if (item.isBlank()) {
        continue;
      }
      String name = name(a, v, item.trim());
      if (name != null) {
        out.add(name);
      } else {
        reported = true;
      }
    }
    if (out.isEmpty() && !reported) {
      a.invalid(v, "comma-separated header names");
    }
    return new ArrayList<>(out);
  }

  /**
   * Returns the lower-cased name, or null (reported) when it is not a name Envoy lets a route
   * change.
   */
  private static String name(Annotations a, Annotations.Value v, String raw) {
    String name = raw.toLowerCase(Locale.ROOT);
    if (name.startsWith(":") || name.equals("host")) {
      a.warn(
          v,
          "header " + raw + " skipped: Envoy does not let a route change pseudo-headers or host");
      return null;
    }
    if (!TOKEN.matcher(name).matches()) {
      a.warn(v, "header '" + raw + "' skipped (expected: a header name)");
      return null;
    }
    return name;
  }

  /** Trims one pair of matching surrounding single or double quotes. */
  private static String unquote(String s) {
    if (s.length() >= 2
        && (s.charAt(0) == '"' || s.charAt(0) == '\'')
        && s.charAt(s.length() - 1) == s.charAt(0)) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
