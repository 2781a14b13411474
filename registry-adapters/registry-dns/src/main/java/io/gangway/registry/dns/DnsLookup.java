package io.gangway.registry.dns;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@code DnsLookup} asks one resolver for the A and AAAA records of a name. Both answers must be
 * NOERROR; anything else (NXDOMAIN, SERVFAIL, REFUSED, a timeout) or no address at all is an {@link
 * IOException} naming the name, the type and the server, so the caller can keep its last known
 * list.
 *
 * <p>Threading: {@link #resolve} blocks for at most {@link #TIMEOUT} per query and is called from
 * one registry thread; dnsjava's shared I/O thread does the network work.
 */
final class DnsLookup {

  /** Per-query timeout; a registry with two names takes at most 4 of these per refresh. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /**
   * {@code Answer} is what one name resolved to.
   *
   * @param addresses IP literals, IPv6 in RFC 5952 form, in answer order
   * @param ttlSeconds the smallest TTL among the records used
   */
  record Answer(List<String> addresses, long ttlSeconds) {}

  private final Resolver resolver;
  private final String serverText;

  DnsLookup(List<InetSocketAddress> servers) {
    if (servers.size() == 1) {
      resolver = new SimpleResolver(servers.get(0));
    } else {
      // No servers: ExtendedResolver reads the system configuration (/etc/resolv.conf on Linux).
      ExtendedResolver extended =
          servers.isEmpty()
              ? new ExtendedResolver()
              : new ExtendedResolver(
                  servers.stream().map(s -> (Resolver) new SimpleResolver(s)).toList());
      extended.setRetries(1);
      resolver = extended;
    }
    resolver.setTimeout(TIMEOUT);
    serverText =
        servers.isEmpty()
            ? "the system resolver"
            : String.join(
                ",",
                servers.stream()
                    .map(
                        s ->
                            (s.getAddress() instanceof Inet6Address
                                    ? "[" + format(s.getAddress()) + "]"
                                    : format(s.getAddress()))
                                + ":"
                                + s.getPort())
                    .toList());
  }

  /** Resolves {@code domain}; throws {@link IOException} with a message for the operator. */
  Answer resolve(String domain) throws IOException {
    Name name;
    try {
      name = Name.fromString(domain, Name.root);
    } catch (TextParseException e) {
      throw new IOException(domain + ": not a DNS name", e);
    }
    List<String> addresses = new ArrayList<>();
    long ttl = Long.MAX_VALUE;
    for (int type : new int[] {Type.A, Type.AAAA}) {
      Message response;
      try {
        response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
      } catch (IOException e) {
        throw new IOException(
            what(domain, type)
                + " failed: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
            e);
      }
      if (response.getRcode() != Rcode.NOERROR) {
        throw new IOException(what(domain, type) + " failed: " + Rcode.string(response.getRcode()));
      }
      for (Record r : response.getSection(Section.ANSWER)) {
        if (r instanceof ARecord a) {
          addresses.add(format(a.getAddress()));
        } else if (r instanceof AAAARecord aaaa) {
          addresses.add(format(aaaa.getAddress()));
        } else if (!(r instanceof CNAMERecord)) {
          continue;
        }
        ttl = Math.min(ttl, r.getTTL());
      }
    }
    if (addresses.isEmpty()) {
      throw new IOException(domain + " has no A or AAAA records (" + serverText + ")");
    }
    return new Answer(addresses, ttl);
  }

  private String what(String domain, int type) {
    return "lookup of " + domain + " " + Type.string(type) + " at " + serverText;
  }

  /**
   * Returns the address as an IP literal; IPv6 compressed as RFC 5952 recommends (longest zero
   * run).
   */
  static String format(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(i, j);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
