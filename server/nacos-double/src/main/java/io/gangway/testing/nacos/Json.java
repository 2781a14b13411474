package io.gangway.testing.nacos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * JSON helpers and the shapes of {@code com.alibaba.nacos.api.remote.response.Response}: every
 * response carries {@code resultCode} (200 or 500), {@code errorCode}, {@code message} and the
 * derived {@code success} property, exactly as the server's Jackson serialises them.
 */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  static final int SUCCESS = 200;
  static final int FAIL = 500;

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static JsonNode parse(byte[] json) throws IOException {
    return MAPPER.readTree(json);
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree always serialises
    }
  }

  /**
   * The text of {@code field}, or {@code ""} when absent or JSON null (Nacos treats both as blank).
   */
  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }

  static @Nullable String textOrNull(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** A successful response body: {@code resultCode=200, errorCode=0}. */
  static ObjectNode ok() {
    ObjectNode node = object();
    node.put("resultCode", SUCCESS);
    node.put("errorCode", 0);
    node.put("success", true);
    return node;
  }

  /** {@code Response.setErrorInfo(errorCode, message)}: resultCode 500 plus the specific code. */
  static ObjectNode fail(int errorCode, String message) {
    ObjectNode node = object();
    node.put("resultCode", FAIL);
    node.put("errorCode", errorCode);
    node.put("message", message);
    node.put("success", false);
    return node;
  }

  /** {@code ErrorResponse.build(NacosException)}: resultCode and errorCode both carry the code. */
  static ObjectNode error(int code, String message) {
    ObjectNode node = fail(code, message);
    node.put("resultCode", code);
    return node;
  }
}
