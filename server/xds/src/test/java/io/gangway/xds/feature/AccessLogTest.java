package io.gangway.xds.feature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.gangway.xds.ListenerSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AccessLogTest {

  private static ListenerSettings settings(String path, String format) {
    return new ListenerSettings(
            "0.0.0.0",
            8080,
            path,
            0,
            Duration.ofSeconds(10),
            Duration.ofHours(1),
            Duration.ofMinutes(5),
            60,
            "unescape-and-redirect")
        .withAccessLogFormat(format);
  }

  private static HttpConnectionManager.Builder patched(ListenerSettings s) {
    HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder();
    new AccessLog().patchHttpConnectionManager(hcm, s);
    return hcm;
  }

  private static FileAccessLog file(ListenerSettings s) throws Exception {
    return patched(s).getAccessLog(0).getTypedConfig().unpack(FileAccessLog.class);
  }

  @Test
  void json_isTheDefault_withTheDocumentedFieldsInOrder() throws Exception {
    FileAccessLog f = file(settings("/var/log/a.log", "json"));
    assertThat(f.getPath()).isEqualTo("/var/log/a.log");
    assertThat(f.getLogFormat().getJsonFormat().getFieldsMap().keySet())
        .containsExactlyInAnyOrderElementsOf(AccessLog.JSON_FIELDS.keySet());
    assertThat(f.getLogFormat().getJsonFormat().getFieldsOrThrow("status").getStringValue())
        .isEqualTo("%RESPONSE_CODE%");
    assertThat(
            new ListenerSettings(
                    "0.0.0.0",
                    8080,
                    "/a",
                    0,
                    Duration.ofSeconds(10),
                    Duration.ofHours(1),
                    Duration.ofMinutes(5),
                    60,
                    "unescape-and-redirect")
                .accessLogFormat())
        .isEqualTo("json");
  }

  @Test
  void text_keepsEnvoysDefaultLine_andACustomFormatIsPassedWithANewline() throws Exception {
    assertThat(file(settings("/a", "text")).hasLogFormat()).isFalse();
    FileAccessLog custom = file(settings("/a", "%START_TIME% %REQ(:PATH)% %RESPONSE_CODE%"));
    assertThat(custom.getLogFormat().getTextFormatSource().getInlineString())
        .isEqualTo("%START_TIME% %REQ(:PATH)% %RESPONSE_CODE%\n");
  }

  @Test
  void noPath_noAccessLog_andAFormatWithoutOperatorsIsRefused() {
    assertThat(patched(settings(null, "json")).getAccessLogCount()).isZero();
    assertThatThrownBy(() -> settings("/a", "yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("accessLogFormat: yaml");
  }
}
