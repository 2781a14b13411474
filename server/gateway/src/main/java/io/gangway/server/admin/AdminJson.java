package io.gangway.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code AdminJson} writes the JSON answers of the admin resources, indented, with a status. */
final class AdminJson {

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AdminJson() {}

  /** Answers {@code status} with {@code body} as JSON. */
  static void reply(Context ctx, int status, Object body) throws JsonProcessingException {
    ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body) + "\n");
  }

  /** Answers {@code status} with {@code {"error": message}}. */
  static void error(Context ctx, int status, String message) throws JsonProcessingException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    reply(ctx, status, body);
  }
}
