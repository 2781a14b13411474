package io.gangway.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.spi.route.SourceRef;
import org.junit.jupiter.api.Test;

class DiagnosticTest {

  private static final SourceRef FILE = SourceRef.file("conf/routes/demo.yaml");

  @Test
  void toString_fullyLocated_isFileLineColSeverityMessageAndPath() {
    Diagnostic d =
        new Diagnostic(
            Severity.ERROR, FILE, 12, 7, "Ingress/demo.spec.rules[0].host", "invalid host 'A'");
    assertThat(d)
        .hasToString(
            "conf/routes/demo.yaml:12:7: error: invalid host 'A' (at Ingress/demo.spec.rules[0].host)");
  }

  @Test
  void toString_warning_usesTheLowerCaseLabel() {
    Diagnostic d =
        new Diagnostic(
            Severity.WARNING, FILE, 3, 1, "Service/x.kind", "ignoring unsupported kind 'Service'");
    assertThat(d)
        .hasToString(
            "conf/routes/demo.yaml:3:1: warning: ignoring unsupported kind 'Service' (at Service/x.kind)");
  }

  @Test
  void toString_noColumn_omitsIt() {
    assertThat(new Diagnostic(Severity.ERROR, FILE, 4, 0, "p", "m"))
        .hasToString("conf/routes/demo.yaml:4: error: m (at p)");
  }

  @Test
  void toString_noLine_omitsLineAndColumn() {
    assertThat(new Diagnostic(Severity.ERROR, FILE, 0, 9, "p", "m"))
        .hasToString("conf/routes/demo.yaml: error: m (at p)");
  }

  @Test
  void toString_noPath_omitsTheAtPart() {
    assertThat(new Diagnostic(Severity.ERROR, FILE, 1, 1, "", "YAML syntax error: x"))
        .hasToString("conf/routes/demo.yaml:1:1: error: YAML syntax error: x");
  }

  @Test
  void toString_nacosSource_isPrefixedWithTheScheme() {
    Diagnostic d =
        new Diagnostic(
            Severity.ERROR,
            new SourceRef("nacos", "higress-system/g/ingresses.demo"),
            2,
            3,
            "",
            "m");
    assertThat(d).hasToString("nacos:higress-system/g/ingresses.demo:2:3: error: m");
  }

  @Test
  void isError_onlyForErrors() {
    assertThat(new Diagnostic(Severity.ERROR, FILE, 1, 1, "", "m").isError()).isTrue();
    assertThat(new Diagnostic(Severity.WARNING, FILE, 1, 1, "", "m").isError()).isFalse();
  }
}
