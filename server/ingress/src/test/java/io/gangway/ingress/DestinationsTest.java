package io.gangway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import io.gangway.ingress.yaml.YamlLoader;
import io.gangway.model.Diagnostic;
import io.gangway.model.Severity;
import io.gangway.spi.route.SourceRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Weight parsing and normalisation of {@code higress.io/destination}, checked number by number
 * against Higress's {@code normalizeWeightedCluster} (float32 arithmetic; later lines {@code
 * int(w/sum*100)}, the first line the rest).
 */
class DestinationsTest {

  private final Diagnostics d = new Diagnostics(SourceRef.file("test.yaml"));
  private final YNode at = YNode.root(YamlLoader.load("x: 1", d).get(0), "doc[0]");

  private List<Destinations.Line> parse(String value) {
    return Destinations.parse(value, at, d);
  }

  private int[] weights(String value) {
    List<Destinations.Line> lines = parse(value);
    assertThat(lines).as("parsed %s", value).isNotEmpty();
    return Destinations.normalise(lines);
  }

  private List<String> messages(Severity s) {
    return d.all().stream().filter(x -> x.severity() == s).map(Diagnostic::message).toList();
  }

  @Test
  void normalise_sixtyForty_keepsShares() {
    assertThat(weights("60% a.static\n40% b.static")).containsExactly(60, 40);
    assertThat(d.all()).isEmpty();
  }

  @Test
  void normalise_thirtyThirtyForty_keepsShares() {
    assertThat(weights("30% a.static\n30% b.static\n40% c.static")).containsExactly(30, 30, 40);
  }

  @Test
  void normalise_sumNotHundred_scalesLaterLinesAndGivesFirstTheRest() {
    // 30/80*100 = 37.5 -> 37; first = 100 - 37.
    assertThat(weights("50% a.static\n30% b.static")).containsExactly(63, 37);
    // 10/30*100 = 33.33 -> 33 twice; first = 34.
    assertThat(weights("10% a.static\n10% b.static\n10% c.static")).containsExactly(34, 33, 33);
    // 90/180*100 = 50: a sum over 100 is scaled down the same way.
    assertThat(weights("90% a.static\n90% b.static")).containsExactly(50, 50);
  }

  @Test
  void normalise_sumNotHundred_warnsWithTheSumAndTheResult() {
    parse("50% a.static\n30% b.static");
    assertThat(messages(Severity.WARNING))
        .containsExactly(
            "the weights in higress.io/destination add up to 80, not 100; normalised to 63/37");
    assertThat(messages(Severity.ERROR)).isEmpty();
  }

  @Test
  void normalise_zeroPercentLine_getsZero() {
    assertThat(weights("100% a.static\n0% b.static")).containsExactly(100, 0);
    assertThat(weights("0% a.static\n100% b.static")).containsExactly(0, 100);
  }

  @Test
  void normalise_allZero_sendsEverythingToTheFirst() {
    assertThat(weights("0% a.static\n0% b.static")).containsExactly(100, 0);
  }

  @Test
  void normalise_singleLine_isHundredWhateverItsWeight() {
    assertThat(weights("a.static")).containsExactly(100);
    assertThat(weights("30% a.static")).containsExactly(100);
  }

  @Test
  void normalise_missingWeight_countsAsHundred() {
    // total 130: 30/130*100 = 23.07 -> 23; first 77.
    assertThat(weights("a.static\n30% b.static")).containsExactly(77, 23);
  }

  @Test
  void normalise_float32Rounding_matchesHigressToTheUnit() {
    // float32(29)/float32(100)*100 rounds to 29.0f; float64 gives 28.999999999999996 -> 28.
    assertThat(weights("71% a.static\n29% b.static")).containsExactly(71, 29);
    // float32(53)/float32(100)*100 = 52.999996f -> 52 (float64 gives 53).
    assertThat(weights("47% a.static\n53% b.static")).containsExactly(48, 52);
    assertThat(weights("43% a.static\n57% b.static")).containsExactly(43, 57);
  }

  @Test
  void normalise_anyWeights_sumToHundredAndStayInRange() {
    java.util.Random r = new java.util.Random(42);
    for (int run = 0; run < 2000; run++) {
      int n = 1 + r.nextInt(6);
      StringBuilder value = new StringBuilder();
      for (int i = 0; i < n; i++) {
        value.append(r.nextInt(101)).append("% h").append(i).append(".static\n");
      }
      int[] w = weights(value.toString());
      assertThat(java.util.Arrays.stream(w).sum()).as("sum for %s", value).isEqualTo(100);
      assertThat(java.util.Arrays.stream(w).boxed().toList())
          .as("range for %s", value)
          .allSatisfy(x -> assertThat(x).isBetween(0, 100));
    }
  }

  @Test
  void parse_hostAndPort_splitsAtTheLastColonOnlyForAValidPort() {
    assertThat(parse("a.static:8080"))
        .containsExactly(new Destinations.Line(100, "a.static", 8080));
    assertThat(parse("a.static")).containsExactly(new Destinations.Line(100, "a.static", 0));
    assertThat(parse("a.static:0")).containsExactly(new Destinations.Line(100, "a.static:0", 0));
    assertThat(parse("a.static:65536"))
        .containsExactly(new Destinations.Line(100, "a.static:65536", 0));
  }

  @Test
  void parse_dubboHost_keepsItsColons() {
    String host = "providers:com.dubbo.demo.api.DemoService:1.0.0:dev.DEFAULT-GROUP.public.nacos";
    assertThat(parse(host)).containsExactly(new Destinations.Line(100, host, 0));
    assertThat(parse("20% " + host + ":20880"))
        .containsExactly(new Destinations.Line(20, host, 20880));
  }

  @Test
  void parse_blankLinesAndExtraSpaces_areIgnored() {
    assertThat(parse("\n  60%   a.static  \n\n\t40% b.static\n"))
        .containsExactly(
            new Destinations.Line(60, "a.static", 0), new Destinations.Line(40, "b.static", 0));
    assertThat(d.all()).isEmpty();
  }

  @Test
  void parse_subset_isIgnoredWithAWarning() {
    assertThat(parse("a.static v1")).containsExactly(new Destinations.Line(100, "a.static", 0));
    assertThat(messages(Severity.WARNING))
        .containsExactly("subset 'v1' is not supported yet; ignored");
  }

  @Test
  void parse_invalidWeight_isAnErrorAndYieldsNothing() {
    assertThat(parse("sixty% a.static")).isEmpty();
    assertThat(parse("101% a.static")).isEmpty();
    assertThat(parse("-1% a.static")).isEmpty();
    assertThat(messages(Severity.ERROR))
        .hasSize(3)
        .allSatisfy(m -> assertThat(m).contains("invalid weight").contains("(expected: 0%-100%)"));
  }

  @Test
  void parse_weightWithoutHost_isAnError() {
    assertThat(parse("100%")).isEmpty();
    assertThat(messages(Severity.ERROR)).containsExactly("destination line '100%' has no host");
  }

  @Test
  void parse_empty_isAnError() {
    assertThat(parse(" \n \n")).isEmpty();
    assertThat(messages(Severity.ERROR)).containsExactly("higress.io/destination is empty");
  }
}
