package io.gangway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link LineDiff}: expectations are what {@code diff -u} prints for the same two texts. */
class LineDiffTest {

  @Test
  void equalTexts_noDiff() {
    assertThat(LineDiff.unified("a\nb\n", "a\nb\n", "x", "y")).isEmpty();
    assertThat(LineDiff.unified("", "", "x", "y")).isEmpty();
  }

  @Test
  void insertionInTheMiddle_oneHunkWithThreeLinesOfContextEachSide() {
    String a = lines(1, 20);
    String b = a.replace("10\n", "10\nten\n");

    assertThat(LineDiff.unified(a, b, "nacos:x", "routes.yaml"))
        .containsExactly(
            "--- nacos:x",
            "+++ routes.yaml",
            "@@ -8,6 +8,7 @@",
            " 8",
            " 9",
            " 10",
            "+ten",
            " 11",
            " 12",
            " 13");
  }

  @Test
  void deletionInTheMiddle_oneHunk() {
    String a = lines(1, 20);
    String b = a.replace("10\n", "");

    assertThat(LineDiff.unified(a, b, "a", "b"))
        .containsExactly(
            "--- a", "+++ b", "@@ -7,7 +7,6 @@", " 7", " 8", " 9", "-10", " 11", " 12", " 13");
  }

  @Test
  void distantChanges_twoHunks() {
    String a = lines(1, 30);
    String b = a.replace("\n5\n", "\n5\nfive\n").replace("\n20\n", "\n20\ntwenty\n");

    assertThat(LineDiff.unified(a, b, "a", "b"))
        .containsExactly(
            "--- a",
            "+++ b",
            "@@ -3,6 +3,7 @@",
            " 3",
            " 4",
            " 5",
            "+five",
            " 6",
            " 7",
            " 8",
            "@@ -18,6 +19,7 @@",
            " 18",
            " 19",
            " 20",
            "+twenty",
            " 21",
            " 22",
            " 23");
  }

  @Test
  void nearbyChanges_oneHunk() {
    String a = lines(1, 30);
    String b = a.replace("10\n", "10\nx\n").replace("13\n", "13\ny\n");

    assertThat(LineDiff.unified(a, b, "a", "b"))
        .containsExactly(
            "--- a",
            "+++ b",
            "@@ -8,9 +8,11 @@",
            " 8",
            " 9",
            " 10",
            "+x",
            " 11",
            " 12",
            " 13",
            "+y",
            " 14",
            " 15",
            " 16");
  }

  @Test
  void changeAtTheStart_contextOnlyAfter() {
    String a = lines(1, 10);
    String b = "zero\n" + a;

    assertThat(LineDiff.unified(a, b, "a", "b"))
        .containsExactly("--- a", "+++ b", "@@ -1,3 +1,4 @@", "+zero", " 1", " 2", " 3");
  }

  @Test
  void veryLongTexts_areReportedAsDifferentWithoutADiff() {
    String a = lines(1, 4001);
    String b = a + "more\n";

    List<String> diff = LineDiff.unified(a, b, "a", "b");

    assertThat(diff).hasSize(3).startsWith("--- a", "+++ b");
    assertThat(diff.get(2))
        .startsWith("@@ texts differ (")
        .endsWith(" lines; too long to diff) @@");
  }

  @Test
  void additionsAtTheEnd_countOnlyRealLines() {
    assertThat(LineDiff.unified("a\nb\n", "a\nb\nc\n", "a", "b"))
        .containsExactly("--- a", "+++ b", "@@ -1,2 +1,3 @@", " a", " b", "+c");
  }

  @Test
  void emptyVersusNonEmpty_everyLineAddedOrRemoved() {
    assertThat(LineDiff.unified("", "a\nb\n", "a", "b"))
        .containsExactly("--- a", "+++ b", "@@ -0,0 +1,2 @@", "+a", "+b");
    assertThat(LineDiff.unified("a\nb\n", "", "a", "b"))
        .containsExactly("--- a", "+++ b", "@@ -1,2 +0,0 @@", "-a", "-b");
  }

  @Test
  void replacedLine_removalBeforeAddition() {
    String a = lines(1, 10);
    String b = a.replace("5\n", "five\n");

    assertThat(LineDiff.unified(a, b, "a", "b"))
        .containsExactly(
            "--- a", "+++ b", "@@ -2,7 +2,7 @@", " 2", " 3", " 4", "-5", "+five", " 6", " 7", " 8");
  }

  /** "from\n...to\n". */
  private static String lines(int from, int to) {
    return IntStream.rangeClosed(from, to)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining("\n", "", "\n"));
  }
}
