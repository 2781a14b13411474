package io.gangway.ingress.annotation;

import io.gangway.model.policy.IpAccessControl;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code AccessControlFamily} reads {@code whitelist-source-range} (Higress's IP allow list) and
 * ingress-nginx's {@code denylist-source-range}: comma-separated IPv4/IPv6 addresses or CIDR
 * ranges, {@code *} in the allow list meaning any address. Both fail closed: one malformed entry is
 * an error that rejects the document, so its last good version (with its list) stays live; a route
 * is never opened because its list could not be read. Entries are normalised ({@code 10.1.2.3/8} is
 * {@code 10.0.0.0/8}, an address is a {@code /32} or {@code /128}), sorted and deduplicated.
 */
final class AccessControlFamily implements AnnotationFamily {

  static final AnnotationKey WHITELIST = AnnotationKey.of("whitelist-source-range").failingClosed();
  static final AnnotationKey DENYLIST = AnnotationKey.of("denylist-source-range").failingClosed();

  // No leading zeros: "010.0.0.1" is octal to some parsers and decimal to others (Go rejects it).
  private static final Pattern IPV4 = Pattern.compile("(0|[1-9]\\d{0,2})(\\.(0|[1-9]\\d{0,2})){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  private static final String EXPECTED = "comma-separated IPv4 or IPv6 addresses or CIDR ranges";

  @Override
  public String name() {
    return "access-control";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(WHITELIST, DENYLIST);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    Optional<List<String>> allow = ranges(a, WHITELIST, true);
    Optional<List<String>> deny = ranges(a, DENYLIST, false);
    if (allow.isEmpty() || deny.isEmpty()) {
      return; // an error was reported: the document is rejected
    }
    if (!allow.get().isEmpty() || !deny.get().isEmpty()) {
      out.route(new IpAccessControl(allow.get(), deny.get()));
    }
  }

  /**
   * Returns the normalised ranges of {@code key} (empty list: absent or any), or empty on an error.
   */
  private static Optional<List<String>> ranges(
      Annotations a, AnnotationKey key, boolean starMeansAny) {
    Optional<Annotations.Value> v = a.get(key);
    if (v.isEmpty()) {
      return a.has(key) ? Optional.empty() : Optional.of(List.of()); // present but empty: reported
    }
    TreeSet<String> out = new TreeSet<>();
    boolean any = false;
    for (String raw : v.get().text().split(",", -1)) {
      String entry = raw.trim();
      if (starMeansAny && entry.equals("*")) {
        any = true;
        continue;
      }
      Optional<String> cidr = normalise(entry);
      if (cidr.isEmpty()) {
        a.invalid(
            v.get(), EXPECTED + (starMeansAny ? ", or *" : "") + "; '" + entry + "' is not one");
        return Optional.empty();
      }
      out.add(cidr.get());
    }
    if (any && !out.isEmpty()) {
      a.warn(v.get(), "'*' allows every address; the other entries change nothing");
    }
    return Optional.of(any ? List.of() : new ArrayList<>(out));
  }

  /**
   * Returns {@code entry} as a CIDR range with its host bits cleared, or empty when it is not one.
   */
  static Optional<String> normalise(String entry) {
    int slash = entry.indexOf('/');
    String address = slash < 0 ? entry : entry.substring(0, slash);
    // Only literals: InetAddress would resolve a host name through DNS.
    boolean v4 = IPV4.matcher(address).matches();
    if (!v4 && !IPV6.matcher(address).matches()) {
      return Optional.empty();
    }
    InetAddress ip;
    try {
      ip = InetAddress.getByName(address);
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
    int bits = ip instanceof Inet4Address ? 32 : 128;
    int length = bits;
    if (slash >= 0) {
      String len = entry.substring(slash + 1);
      if (!len.matches("\\d{1,3}")) {
        return Optional.empty();
      }
      length = Integer.parseInt(len);
      if (length > bits) {
        return Optional.empty();
      }
    }
    byte[] b = ip.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, length - 8 * i));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      String text = InetAddress.getByAddress(b).getHostAddress();
      return Optional.of((bits == 128 ? compress(text) : text) + "/" + length);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * Returns an IPv6 address in its shortest form ({@code 2001:db8:0:0:0:0:0:0} is {@code
   * 2001:db8::}).
   */
  private static String compress(String full) {
    String[] groups = full.split(":");
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < groups.length; i++) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = Math.max(i, j);
    }
    if (bestStart < 0) {
      return full;
    }
    String left = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String right =
        String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
    return left + "::" + right;
  }
}
