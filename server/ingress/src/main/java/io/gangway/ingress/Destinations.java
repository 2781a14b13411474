package io.gangway.ingress;

import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Destinations} parses the {@code higress.io/destination} annotation and normalises weights
 * exactly as Higress does, so existing annotations route the same traffic shares.
 */
final class Destinations {

  static final String ANNOTATION = "higress.io/destination";

  /** One destination line: weight as written, registry host, optional port (0 = none). */
  record Line(int weight, String host, int port) {}

  private Destinations() {}

  /**
   * Parses one destination per non-blank line: {@code [<weight>%] <host>[:<port>] [<subset>]}. The
   * port is taken from the last {@code :} only when it is a valid port, so Dubbo-style hosts such
   * as {@code providers:x:1.0.0:dev.DEFAULT-GROUP.public.nacos} stay intact.
   */
  static List<Line> parse(String value, YNode at, Diagnostics d) {
    List<Line> out = new ArrayList<>();
    for (String raw : value.split("\n", -1)) {
      String line = raw.trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\\s+", -1);
      int weight = 100;
      int i = 0;
      if (fields[0].endsWith("%")) {
        try {
          weight = Integer.parseInt(fields[0].substring(0, fields[0].length() - 1));
        } catch (NumberFormatException e) {
          weight = -1;
        }
        if (weight < 0 || weight > 100) {
          d.error(
              at,
              "invalid weight '"
                  + YNode.abbreviate(fields[0])
                  + "' in "
                  + ANNOTATION
                  + " (expected: 0%-100%)");
          return List.of();
        }
        i = 1;
      }
      if (i >= fields.length) {
        d.error(at, "destination line '" + YNode.abbreviate(line) + "' has no host");
        return List.of();
      }
      if (fields.length > i + 1) {
        d.warn(
            at, "subset '" + YNode.abbreviate(fields[i + 1]) + "' is not supported yet; ignored");
      }
      out.add(split(weight, fields[i]));
    }
    if (out.isEmpty()) {
      d.error(at, ANNOTATION + " is empty");
      return out;
    }
    int sum = out.stream().mapToInt(Line::weight).sum();
    if (out.size() > 1 && sum != 100) {
      // Higress only logs this; the shares are still normalised (see normalise).
      int[] w = normalise(out);
      StringBuilder shares = new StringBuilder();
      for (int k = 0; k < w.length; k++) {
        shares.append(k == 0 ? "" : "/").append(w[k]);
      }
      d.warn(
          at,
          "the weights in "
              + ANNOTATION
              + " add up to "
              + sum
              + ", not 100; normalised to "
              + shares);
    }
    return out;
  }

  /**
   * Applies Higress's normalisation ({@code normalizeWeightedCluster}): every destination after the
   * first gets {@code int(w/total*100)}, the first gets the rest, where total is the sum of all
   * weights. A single destination gets 100. The arithmetic is float32, exactly as Higress's Go code
   * does it, so the shares match to the unit: 29% of 100 is 29 in float32 but 28 in float64.
   */
  static int[] normalise(List<Line> lines) {
    int[] out = new int[lines.size()];
    if (out.length == 1) {
      out[0] = 100; // one destination takes every request, whatever its weight
      return out;
    }
    int total = lines.stream().mapToInt(Line::weight).sum();
    int others = 0;
    for (int i = 1; i < lines.size(); i++) {
      float share = (float) lines.get(i).weight() / (float) total;
      out[i] = total == 0 ? 0 : (int) (share * 100f);
      others += out[i];
    }
    // float32 rounding can push the others a unit over 100 for huge totals; never go negative.
    out[0] = Math.max(0, 100 - others);
    return out;
  }

  private static Line split(int weight, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon > 0 && colon < hostPort.length() - 1) {
      try {
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        if (port >= 1 && port <= 65535) {
          return new Line(weight, hostPort.substring(0, colon), port);
        }
      } catch (NumberFormatException e) {
        // not a port: the colon belongs to the host (Dubbo interface names)
      }
    }
    return new Line(weight, hostPort, 0);
  }
}
