package io.gangway.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ConfigLoader} reads {@code gangway.yaml} strictly: unknown fields and bad values are
 * errors with a line.
 */
public final class ConfigLoader {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  /** Loads {@code file}; an empty file yields all defaults. */
  public static GatewayConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          file
              + " does not exist. Create it (an empty file uses the defaults) or pass"
              + " --conf with the right path");
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    }
    if (text.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
      return new GatewayConfig(null, null, null, null, null);
    }
    try {
      GatewayConfig c = YAML.readValue(text, GatewayConfig.class);
      return c == null ? new GatewayConfig(null, null, null, null, null) : c;
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          where(file, text, e)
              + "unknown field '"
              + e.getPropertyName()
              + "' (known: "
              + e.getKnownPropertyIds()
              + ")");
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      if (e.getTargetType() == null) {
        throw new ConfigException(where(file, text, e) + rootMessage(e));
      }
      throw new ConfigException(
          where(file, text, e)
              + "expected "
              + kind(e.getTargetType())
              + (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f
                  ? ", got \"" + f.getValue() + "\""
                  : "")
              + ". Fix: write "
              + kind(e.getTargetType())
              + " there; conf/gangway.yaml shows every field with its default");
    } catch (JsonProcessingException e) {
      throw new ConfigException(where(file, text, e) + rootMessage(e));
    }
  }

  /** Names what a field of {@code type} takes, for a type error's fix hint. */
  private static String kind(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number (e.g. 15010)";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string (durations like 5s, 100ms, 1h)";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list (e.g. [a, b] or one '- item' per line)";
    }
    return "a mapping of fields (key: value lines indented below it)";
  }

  private static String rootMessage(JsonProcessingException e) {
    {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
    }
  }

  /**
   * Locates the offending field. Jackson reports where its parser stopped (often the end of the
   * enclosing mapping), so the field's own line is looked up by its path in the YAML node tree.
   */
  private static String where(Path file, String text, JsonProcessingException e) {
    List<Object> path = new ArrayList<>();
    if (e instanceof JsonMappingException m) {
      for (JsonMappingException.Reference r : m.getPath()) {
        path.add(r.getFieldName() != null ? r.getFieldName() : (Object) r.getIndex());
      }
    }
    int[] pos = YamlPositions.find(text, path, e instanceof UnrecognizedPropertyException);
    JsonLocation loc = e.getLocation();
    if (pos == null && loc != null) {
      pos = new int[] {loc.getLineNr(), loc.getColumnNr()};
    }
    String field = path.stream().map(String::valueOf).reduce((a, b) -> a + "." + b).orElse("");
    return (pos == null ? file + ": " : file + ":" + pos[0] + ":" + pos[1] + ": ")
        + (field.isEmpty() ? "" : field + ": ");
  }
}
