package io.gangway.registry.testkit;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code DnsmasqExtension} runs a real dnsmasq per test on a free loopback port (UDP and TCP),
 * serving only the names the test puts in its hosts file, with TTL 1 s. A change rewrites the file
 * and sends SIGHUP; {@link #stop()} and {@link #start()} cut the server off and bring it back on
 * the same port.
 *
 * <p>When dnsmasq is not installed the test fails if the environment variable {@code CI} is set (CI
 * must not silently skip it; {@code .ci/run} installs the package), and is skipped otherwise. The
 * system property {@code gangway.dnsmasq} points at another binary (a missing path simulates the
 * absence).
 */
public final class DnsmasqExtension implements BeforeEachCallback, AfterEachCallback {

  /** Names under this zone that are not in the hosts file get NXDOMAIN (not REFUSED). */
  public static final String ZONE = "gangway.test";

  private static final String PROBE = "probe." + ZONE;

  private final Map<String, Set<String>> records = new TreeMap<>();
  private @Nullable Path binary;
  private @Nullable Path dir;
  private @Nullable Process process;
  private int port;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    binary = locate().orElse(null);
    if (binary == null) {
      String where = System.getProperty("gangway.dnsmasq", "looked on PATH, /usr/sbin, /sbin");
      String message =
          "dnsmasq is not installed ("
              + where
              + "): install the Debian package with"
              + " 'apt-get install -y dnsmasq-base' (.ci/run does)";
      if (System.getenv("CI") != null) {
        throw new AssertionError(message + "; CI is set, so this test fails instead of skipping");
      }
      Assumptions.abort(message + "; skipped because CI is not set");
    }
    dir = Files.createTempDirectory("gangway-dnsmasq");
    records.put(PROBE, new TreeSet<>(Set.of("127.0.0.1")));
    writeHosts();
    for (int attempt = 0; ; attempt++) {
      port = freePort();
      try {
        start();
        return;
      } catch (IOException e) {
        if (attempt == 4) {
          throw e;
        }
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    stop();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** Returns the port dnsmasq listens on (UDP and TCP, 127.0.0.1). */
  public int port() {
    return port;
  }

  /** Adds an A (or AAAA, for an address with a colon) record and reloads. */
  public synchronized void add(String name, String address)
      throws IOException, InterruptedException {
    records.computeIfAbsent(name, n -> new TreeSet<>()).add(address);
    reload();
  }

  /** Removes a record and reloads; a name without records disappears (NXDOMAIN). */
  public synchronized void remove(String name, String address)
      throws IOException, InterruptedException {
    Set<String> addresses = records.getOrDefault(name, new TreeSet<>());
    addresses.remove(address);
    if (addresses.isEmpty()) {
      records.remove(name);
    }
    reload();
  }

  /** Starts dnsmasq on {@link #port()} and waits until it answers. */
  public synchronized void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      return;
    }
    Path d = requireDir();
    List<String> command =
        new ArrayList<>(
            List.of(
                String.valueOf(binary),
                "--no-daemon",
                "--conf-file=/dev/null",
                "--no-resolv",
                "--no-hosts",
                "--port=" + port,
                "--listen-address=127.0.0.1",
                "--bind-interfaces",
                "--addn-hosts=" + d.resolve("hosts"),
                "--local-ttl=1",
                "--local=/" + ZONE + "/",
                "--log-facility=-",
                "--log-queries"));
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(d.resolve("dnsmasq.log").toFile()))
            .start();
    process = p;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    org.xbill.DNS.SimpleResolver probe =
        new org.xbill.DNS.SimpleResolver(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    probe.setTimeout(java.time.Duration.ofMillis(500));
    while (true) {
      if (!p.isAlive()) {
        process = null;
        throw new IOException("dnsmasq exited with " + p.exitValue() + ": " + log());
      }
      try {
        org.xbill.DNS.Message answer =
            probe.send(
                org.xbill.DNS.Message.newQuery(
                    org.xbill.DNS.Record.newRecord(
                        org.xbill.DNS.Name.fromString(PROBE + "."),
                        org.xbill.DNS.Type.A,
                        org.xbill.DNS.DClass.IN)));
        if (answer.getRcode() != org.xbill.DNS.Rcode.NOERROR) {
          throw new IOException("probe answered " + org.xbill.DNS.Rcode.string(answer.getRcode()));
        }
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          stop();
          throw new IOException("dnsmasq did not answer on port " + port + ": " + log(), e);
        }
        Thread.sleep(50);
      }
    }
  }

  /** Stops dnsmasq (SIGTERM) and waits for it to exit; the port then refuses queries. */
  public synchronized void stop() throws InterruptedException {
    Process p = process;
    process = null;
    if (p != null) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  private void reload() throws IOException, InterruptedException {
    writeHosts();
    Process p = process;
    if (p != null && p.isAlive()) {
      Process kill =
          new ProcessBuilder("kill", "-HUP", String.valueOf(p.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IOException("kill -HUP " + p.pid() + " failed");
      }
    }
  }

  private void writeHosts() throws IOException {
    StringBuilder text = new StringBuilder();
    records.forEach(
        (name, addresses) ->
            addresses.forEach(a -> text.append(a).append(' ').append(name).append('\n')));
    Path d = requireDir();
    Path tmp = d.resolve("hosts.tmp");
    Files.writeString(tmp, text.toString(), StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    // Atomic replace: dnsmasq never reads a half-written file.
    Files.move(
        tmp,
        d.resolve("hosts"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private String log() {
    try {
      return Files.readString(requireDir().resolve("dnsmasq.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private Path requireDir() {
    if (dir == null) {
      throw new IllegalStateException("dnsmasq fixture not set up");
    }
    return dir;
  }

  /**
   * Finds dnsmasq; the system property {@code gangway.dnsmasq} names the binary instead (or a
   * missing one).
   */
  private static Optional<Path> locate() {
    String forced = System.getProperty("gangway.dnsmasq");
    if (forced != null) {
      return Optional.of(Path.of(forced)).filter(Files::isExecutable);
    }
    List<String> dirs =
        new ArrayList<>(
            List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
    return dirs.stream()
        .filter(s -> !s.isEmpty())
        .map(s -> Path.of(s, "dnsmasq"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * A port free for both TCP and UDP on 127.0.0.1 right now (dnsmasq may still lose a race:
   * retried).
   */
  private static int freePort() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
        int candidate = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, candidate))) {
          return udp.getLocalPort();
        } catch (IOException inUse) {
          // try another
        }
      }
    }
    throw new IOException("no free TCP+UDP port on 127.0.0.1");
  }
}
