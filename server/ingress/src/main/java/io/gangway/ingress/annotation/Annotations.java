package io.gangway.ingress.annotation;

import static java.util.Objects.requireNonNull;

import io.gangway.ingress.resource.IngressResource;
import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code Annotations} is the view a family reads an Ingress's annotations through, with Higress's
 * prefix rule ({@code parser.go}): a key is looked up as {@code nginx.ingress.kubernetes.io/<key>}
 * first, then as {@code higress.io/<key>}; keys marked {@link AnnotationKey#higressOnly()} only as
 * the latter. Values are trimmed, line by line; an empty value is invalid.
 *
 * <p>It also carries the document's diagnostics, and {@link #invalid} is the one way a family
 * reports a bad value: a warning (the route applies without that policy, as in Higress) or, for a
 * {@link AnnotationKey#failClosed()} key, an error that rejects the document. Not thread-safe; one
 * per Ingress and parse.
 */
public final class Annotations {

  /** The ingress-nginx prefix. */
  public static final String NGINX = "nginx.ingress.kubernetes.io/";

  /** Higress's own prefix. */
  public static final String HIGRESS = "higress.io/";

  private final IngressResource ingress;
  private final Diagnostics diagnostics;
  private final SecretStore secrets;
  private final Diagnostics resolution;

  /**
   * A value as found.
   *
   * @param key the key with its prefix, as written
   * @param text the value, trimmed (each line, for multi-line values)
   * @param at where it is written, for diagnostics
   * @param spec the key it was read for
   */
  public record Value(String key, String text, YNode at, AnnotationKey spec) {}

  /** Creates the view of {@code ingress}, reporting to {@code diagnostics}. */
  public Annotations(IngressResource ingress, Diagnostics diagnostics) {
    this(ingress, diagnostics, SecretStore.NONE, diagnostics);
  }

  /**
   * Creates the view of {@code ingress} when translating: Secrets named by annotations are resolved
   * in {@code secrets}, and a Secret that cannot be used is reported to {@code resolution}.
   */
  public Annotations(
      IngressResource ingress,
      Diagnostics diagnostics,
      SecretStore secrets,
      Diagnostics resolution) {
    this.ingress = requireNonNull(ingress, "ingress");
    this.diagnostics = requireNonNull(diagnostics, "diagnostics");
    this.secrets = requireNonNull(secrets, "secrets");
    this.resolution = requireNonNull(resolution, "resolution");
  }

  /**
   * Returns the Secrets of the live documents ({@link SecretStore#NONE} when parsing one document).
   */
  public SecretStore secrets() {
    return secrets;
  }

  /**
   * Reports, when translating, that the Secret {@code v} names cannot be used: an error naming what
   * fails closed. Only called when {@link SecretStore#resolving()}; never quotes Secret data.
   */
  public void unresolved(Value v, String message) {
    resolution.error(v.at(), v.key() + ": " + message);
  }

  /**
   * Returns {@code namespace/name} for a {@code [namespace/]name} value, the Ingress's namespace by
   * default.
   */
  public String secretId(String value) {
    return value.contains("/") ? value : ingress.namespace() + "/" + value;
  }

  /** Returns the Ingress being read. */
  public IngressResource ingress() {
    return ingress;
  }

  /** Returns the diagnostics of the document, for messages that are not about one value. */
  public Diagnostics diagnostics() {
    return diagnostics;
  }

  /**
   * Returns the value of {@code key} by the prefix rule; empty when absent. An empty value is
   * reported through {@link #invalid} and also returns empty.
   */
  public Optional<Value> get(AnnotationKey key) {
    if (key.prefix()) {
      throw new IllegalArgumentException(
          "key: " + key + " (expected: a single key; use withPrefix)");
    }
    Optional<Value> v = key.higressOnly() ? Optional.empty() : raw(NGINX + key.name(), key);
    if (v.isEmpty()) {
      v = raw(HIGRESS + key.name(), key);
    }
    if (v.isPresent() && v.get().text().isEmpty()) {
      invalid(v.get(), "a value");
      return Optional.empty();
    }
    return v;
  }

  /** Returns whether {@code key} is present (with either prefix it is read with). */
  public boolean has(AnnotationKey key) {
    return (!key.higressOnly() && ingress.annotations().containsKey(NGINX + key.name()))
        || ingress.annotations().containsKey(HIGRESS + key.name());
  }

  /**
   * Returns the keys of a {@link AnnotationKey#prefix()} family, by their user part ({@code x-user}
   * for {@code higress.io/exact-match-header-x-user}), sorted; empty values are reported and left
   * out.
   */
  public Map<String, Value> withPrefix(AnnotationKey key) {
    Map<String, Value> out = new TreeMap<>();
    for (String prefix :
        key.higressOnly() ? new String[] {HIGRESS} : new String[] {HIGRESS, NGINX}) {
      String start = prefix + key.name();
      for (String k : ingress.annotations().keySet()) {
        if (k.startsWith(start) && k.length() > start.length()) {
          raw(k, key)
              .ifPresent(
                  v -> {
                    if (v.text().isEmpty()) {
                      invalid(v, "a value");
                    } else {
                      out.put(k.substring(start.length()), v);
                    }
                  });
        }
      }
    }
    return out;
  }

  /**
   * Returns a boolean value parsed as Go's {@code strconv.ParseBool} ({@code 1 t T TRUE true True},
   * {@code 0 f F FALSE false False}); empty when absent or invalid (reported).
   */
  public Optional<Boolean> bool(AnnotationKey key) {
    Optional<Value> v = get(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    return switch (v.get().text()) {
      case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(true);
      case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(false);
      default -> {
        invalid(v.get(), "true or false");
        yield Optional.empty();
      }
    };
  }

  /**
   * Returns a decimal integer value within {@code [min, max]}; empty when absent or invalid
   * (reported).
   */
  public Optional<Integer> integer(AnnotationKey key, int min, int max) {
    Optional<Value> v = get(key);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      int n = Integer.parseInt(v.get().text());
      if (n >= min && n <= max) {
        return Optional.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    invalid(v.get(), "an integer from " + min + " to " + max);
    return Optional.empty();
  }

  /**
   * Reports an invalid value: for most keys a warning, {@code invalid <key> '<value>' (expected:
   * ...); ignored}, and the policy is left out; for a fail-closed key an error that rejects the
   * document.
   */
  public void invalid(Value v, String expected) {
    String base =
        "invalid annotation "
            + v.key()
            + " '"
            + YNode.abbreviate(v.text())
            + "' (expected: "
            + expected
            + ")";
    if (v.spec().failClosed()) {
      diagnostics.error(
          v.at(),
          base
              + "; the document is rejected, so its last good version stays live"
              + " (this annotation fails closed)");
    } else {
      diagnostics.warn(v.at(), base + "; ignored, the route applies without it");
    }
  }

  /**
   * Reports a warning about {@code v} that is not an invalid value (a conflict, an ignored part).
   */
  public void warn(Value v, String message) {
    diagnostics.warn(v.at(), v.key() + ": " + message);
  }

  /** Returns every annotation under either prefix, with its position, in key order. */
  Map<String, YNode> prefixed() {
    return ingress.annotations().keySet().stream()
        .filter(k -> k.startsWith(NGINX) || k.startsWith(HIGRESS))
        .sorted()
        .collect(Collectors.toMap(k -> k, this::node, (a, b) -> a, LinkedHashMap::new));
  }

  private Optional<Value> raw(String fullKey, AnnotationKey spec) {
    String text = ingress.annotations().get(fullKey);
    if (text == null) {
      return Optional.empty();
    }
    return Optional.of(new Value(fullKey, trimLines(text), node(fullKey), spec));
  }

  YNode node(String fullKey) {
    return ingress.at().get("metadata").get("annotations").get(fullKey);
  }

  private static String trimLines(String text) {
    if (text.indexOf('\n') < 0) {
      return text.trim();
    }
    return text.lines()
        .map(String::trim)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }
}
