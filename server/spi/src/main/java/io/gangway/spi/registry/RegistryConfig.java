package io.gangway.spi.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code RegistryConfig} is one entry of the McpBridge {@code spec.registries} list, as written by
 * the user. The common fields are typed; everything else stays in {@link #spec()} for the adapter
 * of that type to read, so a new Higress field never needs an SPI change.
 *
 * @param type the McpBridge registry type ({@code static}, {@code dns}, {@code nacos2}, ...)
 * @param name the registry name, unique per type
 * @param spec every field of the entry, as parsed from YAML (strings, numbers, lists, maps)
 */
public record RegistryConfig(String type, String name, Map<String, Object> spec) {

  /** Validates and copies. */
  public RegistryConfig {
    requireNonNull(type, "type");
    requireNonNull(name, "name");
    spec = Map.copyOf(spec);
  }

  /** Shows the settings with credentials (passwords, tokens, secret keys) redacted. */
  @Override
  public String toString() {
    java.util.Map<String, Object> shown = new java.util.TreeMap<>();
    spec.forEach((k, v) -> shown.put(k, isCredential(k) ? "[redacted]" : v));
    return "RegistryConfig[" + key() + ", " + shown + "]";
  }

  /** Returns whether a field holds a credential, which must never be printed. */
  public static boolean isCredential(String field) {
    String f = field.toLowerCase(java.util.Locale.ROOT);
    return f.contains("password")
        || f.contains("token")
        || f.contains("secretkey")
        || f.contains("accesskey");
  }

  /** Returns {@code type/name}, the key Higress uses to tell registries apart. */
  public String key() {
    return type + "/" + name;
  }

  /** Returns a string field, or {@code fallback} when absent. */
  public @Nullable String string(String field, @Nullable String fallback) {
    Object v = spec.get(field);
    return v == null ? fallback : v.toString();
  }

  /** Returns an integer field, or {@code fallback} when absent; throws on a non-integer value. */
  public int integer(String field, int fallback) {
    Object v = spec.get(field);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + ": " + v + " (expected: an integer)", e);
    }
  }

  /** Returns a list-of-strings field, or an empty list when absent. */
  public List<String> strings(String field) {
    Object v = spec.get(field);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return List.of(v.toString());
  }
}
