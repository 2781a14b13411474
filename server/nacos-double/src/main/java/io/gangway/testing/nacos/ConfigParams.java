package io.gangway.testing.nacos;

import org.jspecify.annotations.Nullable;

/** The server's {@code ParamUtils.checkParam(dataId, group, datumId, content)}. */
final class ConfigParams {

  /** {@code PropertyUtil.getMaxContent()} default: 10 MiB. */
  private static final int MAX_CONTENT = 10 * 1024 * 1024;

  private ConfigParams() {}

  /** Returns the server's message for the first invalid parameter, or null when all are valid. */
  static @Nullable String check(String dataId, String group, String content) {
    if (dataId.isBlank() || !isValid(dataId.trim())) {
      return "invalid dataId : " + dataId;
    }
    if (group.isBlank() || !isValid(group)) {
      return "invalid group : " + group;
    }
    if (content.isBlank()) {
      return "content is blank : " + content;
    }
    if (content.length() > MAX_CONTENT) {
      return "invalid content, over " + MAX_CONTENT;
    }
    return null;
  }

  private static boolean isValid(String param) {
    for (int i = 0; i < param.length(); i++) {
      char c = param.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '_' && c != '-' && c != '.' && c != ':') {
        return false;
      }
    }
    return true;
  }
}
