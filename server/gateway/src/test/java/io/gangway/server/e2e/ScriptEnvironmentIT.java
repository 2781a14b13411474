package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 24: a variable set in {@code conf/gangway.env} (such as {@code NACOS_PASSWORD}) must
 * reach the JVM the scripts start. The file was sourced without being exported, so the JVM never
 * saw it. Here a stand-in {@code java} (set through {@code JAVA} in the same file) records what it
 * was given.
 */
class ScriptEnvironmentIT {

  private static final String FAKE_JAVA =
      """
      #!/usr/bin/env bash
      printf 'NACOS_PASSWORD=%s\\nNACOS_USERNAME=%s\\n' "${NACOS_PASSWORD-<unset>}" "${NACOS_USERNAME-<unset>}" \\
        >"$GANGWAY_HOME/java-saw.env"
      echo "gangway: error: stand-in java for a test. Fix: none." >&2
      exit 2
      """;

  private static ScriptHome home() throws Exception {
    ScriptHome h = ScriptHome.create("");
    h.writeScript("test/java", FAKE_JAVA);
    h.addEnv(
        "JAVA="
            + h.home.resolve("test/java")
            + "\nNACOS_USERNAME=gangway\nNACOS_PASSWORD=\"s3cret with space\"\n");
    return h;
  }

  @Test
  void nacosPasswordInGangwayEnv_reachesTheJvmThatStartupShStarts() throws Exception {
    try (ScriptHome h = home()) {
      ScriptHome.Result r =
          h.run(
              Duration.ofMinutes(1),
              Map.of("ENVOY_BIN", Envoys.binary().toString()),
              "bin/startup.sh");

      assertThat(r.status()).as(r.output()).isEqualTo(2);
      assertThat(r.output()).contains("stand-in java");
      assertThat(h.read("java-saw.env"))
          .as(r.output())
          .contains("NACOS_PASSWORD=s3cret with space\n")
          .contains("NACOS_USERNAME=gangway\n");
    }
  }

  @Test
  void nacosPasswordInGangwayEnv_reachesTheJvmOfTheCli() throws Exception {
    try (ScriptHome h = home()) {
      ScriptHome.Result r =
          h.run(Duration.ofMinutes(1), Map.of(), "bin/gangway", "get", "--data-id", "x");

      assertThat(r.status()).as(r.output()).isEqualTo(2);
      assertThat(h.read("java-saw.env"))
          .as(r.output())
          .contains("NACOS_PASSWORD=s3cret with space\n")
          .contains("NACOS_USERNAME=gangway\n");
    }
  }
}
