package io.gangway.server.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code LineDiff} computes a unified diff (3 lines of context) with a longest-common-subsequence
 * table. Route files are small; beyond 4,000 lines a side it reports only that the texts differ.
 */
final class LineDiff {

  private static final int MAX_LINES = 4000;
  private static final int CONTEXT = 3;

  private LineDiff() {}

  /** Returns the diff lines from {@code a} to {@code b}, empty when equal. */
  static List<String> unified(String a, String b, String aName, String bName) {
    if (a.equals(b)) {
      return List.of();
    }
    String[] x = lines(a);
    String[] y = lines(b);
    List<String> out = new ArrayList<>();
    out.add("--- " + aName);
    out.add("+++ " + bName);
    if (x.length > MAX_LINES || y.length > MAX_LINES) {
      out.add("@@ texts differ (" + x.length + " vs " + y.length + " lines; too long to diff) @@");
      return out;
    }
    int[][] lcs = new int[x.length + 1][y.length + 1];
    for (int i = x.length - 1; i >= 0; i--) {
      for (int j = y.length - 1; j >= 0; j--) {
        lcs[i][j] =
            x[i].equals(y[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> ops = new ArrayList<>(); // each op: ' '/'-'/'+' + line
    int i = 0;
    int j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i].equals(y[j])) {
        ops.add(" " + x[i++]);
        j++;
      } else if (i < x.length && (j == y.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.add("-" + x[i++]); // removals first on ties, as diff -u and git print them
      } else {
        ops.add("+" + y[j++]);
      }
    }
    hunks(ops, out);
    return out;
  }

  /** Splits into lines; a final newline ends the last line rather than starting an empty one. */
  private static String[] lines(String text) {
    if (text.isEmpty()) {
      return new String[0];
    }
    String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return t.split("\n", -1);
  }

  private static void hunks(List<String> ops, List<String> out) {
    int n = ops.size();
    int k = 0;
    while (k < n) {
      if (ops.get(k).charAt(0) == ' ') {
        k++;
        continue;
      }
      int start = Math.max(0, k - CONTEXT);
      int end = k;
      int lastChange = k;
      // Changes separated by at most 2 x CONTEXT unchanged lines share a hunk, as in diff -u.
      while (end < n && end - lastChange <= 2 * CONTEXT + 1) {
        if (ops.get(end).charAt(0) != ' ') {
          lastChange = end;
        }
        end++;
      }
      end = Math.min(n, lastChange + CONTEXT + 1);
      int aStart = 1;
      int bStart = 1;
      for (int m = 0; m < start; m++) {
        char c = ops.get(m).charAt(0);
        aStart += c != '+' ? 1 : 0;
        bStart += c != '-' ? 1 : 0;
      }
      int aLen = 0;
      int bLen = 0;
      for (int m = start; m < end; m++) {
        char c = ops.get(m).charAt(0);
        aLen += c != '+' ? 1 : 0;
        bLen += c != '-' ? 1 : 0;
      }
      // An empty range is numbered by the line before it (diff -u: "-0,0" for an empty file).
      out.add(
          "@@ -"
              + (aLen == 0 ? aStart - 1 : aStart)
              + ","
              + aLen
              + " +"
              + (bLen == 0 ? bStart - 1 : bStart)
              + ","
              + bLen
              + " @@");
      out.addAll(ops.subList(start, end));
      k = end;
    }
  }
}
