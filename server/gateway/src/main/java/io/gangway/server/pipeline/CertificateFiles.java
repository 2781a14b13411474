package io.gangway.server.pipeline;

import com.google.common.hash.Hashing;
import io.gangway.ingress.tls.TlsMaterial;
import io.gangway.model.Certificate;
import io.gangway.model.Diagnostic;
import io.gangway.model.Severity;
import io.gangway.model.TlsBinding;
import io.gangway.spi.route.SourceRef;
import io.gangway.xds.CertificateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code CertificateFiles} holds the certificates configured in {@code gangway.yaml} by PEM file.
 * Each {@link #reload()} reads every file pair and compares it with what it read last (by content,
 * so coarse mtimes and editors that rewrite in place both work). A changed pair is validated with
 * {@link TlsMaterial}: a good one replaces the served certificate, a bad or unreadable one becomes
 * an error diagnostic and the previous good version, if any, stays served. Certificate contents
 * never appear in diagnostics or logs. Not thread-safe: the pipeline thread (or a CLI) owns it.
 */
public final class CertificateFiles {

  private static final Logger log = LoggerFactory.getLogger(CertificateFiles.class);

  private static final class State {
    @Nullable String fingerprint;
    @Nullable Certificate good;
    @Nullable Diagnostic problem;
    @Nullable Diagnostic coverage;
  }

  private final List<CertificateFile> files;
  private final Map<CertificateFile, State> states = new LinkedHashMap<>();

  /** Creates the holder; nothing is read before {@link #reload()}. */
  public CertificateFiles(List<CertificateFile> files) {
    this.files = List.copyOf(files);
    files.forEach(f -> states.put(f, new State()));
  }

  /** Returns whether any certificate file is configured. */
  public boolean isEmpty() {
    return files.isEmpty();
  }

  /** Reads every file pair; returns whether the served certificates or the diagnostics changed. */
  public boolean reload() {
    boolean changed = false;
    for (CertificateFile f : files) {
      changed |= reload(f, states.get(f));
    }
    return changed;
  }

  /** Returns the certificates being served, each once, sorted by name. */
  public List<Certificate> certificates() {
    Map<String, Certificate> out = new LinkedHashMap<>();
    states.values().stream()
        .map(s -> s.good)
        .filter(c -> c != null)
        .forEach(c -> out.putIfAbsent(c.name(), c));
    List<Certificate> list = new ArrayList<>(out.values());
    list.sort(Comparator.comparing(Certificate::name));
    return list;
  }

  /** Returns a binding per configured host whose certificate is served, in configuration order. */
  public List<TlsBinding> bindings() {
    List<TlsBinding> out = new ArrayList<>();
    for (CertificateFile f : files) {
      Certificate good = states.get(f).good;
      if (good != null) {
        f.hosts().forEach(h -> out.add(new TlsBinding(h, good.name())));
      }
    }
    return out;
  }

  /**
   * Returns the current problems: unreadable or invalid files, certificates not valid for their
   * hosts.
   */
  public List<Diagnostic> diagnostics() {
    List<Diagnostic> out = new ArrayList<>();
    for (State s : states.values()) {
      if (s.problem != null) {
        out.add(s.problem);
      }
      if (s.coverage != null) {
        out.add(s.coverage);
      }
    }
    return out;
  }

  private boolean reload(CertificateFile f, State s) {
    String chain;
    String key;
    try {
      chain = Files.readString(f.certificate(), StandardCharsets.US_ASCII);
      key = Files.readString(f.privateKey(), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      String which =
          e instanceof NoSuchFileException n
              ? n.getFile()
              : f.certificate() + " or " + f.privateKey();
      String reason =
          e instanceof NoSuchFileException
              ? "does not exist"
              : "cannot be read as PEM text (" + e.getClass().getSimpleName() + ")";
      return problem(f, s, null, f.field(), which + " " + reason);
    }
    String fingerprint =
        Hashing.sha256()
            .newHasher()
            .putString(chain, StandardCharsets.US_ASCII)
            .putByte((byte) 0)
            .putString(key, StandardCharsets.US_ASCII)
            .hash()
            .toString();
    if (fingerprint.equals(s.fingerprint)) {
      return false;
    }
    TlsMaterial.Problem p = TlsMaterial.check(chain, key);
    if (p != null) {
      boolean cert = p.part() == TlsMaterial.Part.CERTIFICATE;
      return problem(
          f,
          s,
          fingerprint,
          f.field() + (cert ? ".cert" : ".key"),
          (cert ? f.certificate() : f.privateKey()) + ": " + p.message());
    }
    Certificate previous = s.good;
    s.fingerprint = fingerprint;
    s.good = new Certificate(f.name(), chain, key, SourceRef.file(f.certificate().toString()));
    s.problem = null;
    List<String> names = TlsMaterial.dnsNames(chain);
    List<String> uncovered =
        f.hosts().stream().filter(h -> !h.equals("*") && !TlsMaterial.covers(names, h)).toList();
    s.coverage =
        uncovered.isEmpty()
            ? null
            : new Diagnostic(
                Severity.WARNING,
                SourceRef.file(f.certificate().toString()),
                0,
                0,
                f.field() + ".hosts",
                "the certificate is not valid for "
                    + uncovered
                    + " (it names "
                    + names
                    + "); clients will reject it");
    log.info(
        "{} certificate {} ({})",
        previous == null ? "loaded" : "reloaded",
        f.name(),
        TlsMaterial.describe(chain));
    return true;
  }

  private boolean problem(
      CertificateFile f, State s, @Nullable String fingerprint, String field, String message) {
    s.fingerprint = fingerprint;
    String consequence =
        s.good != null
            ? "; the previously loaded certificate stays in use"
            : "; "
                + (f.hosts().equals(List.of("*"))
                    ? "there is no default certificate"
                    : "no certificate is served for " + f.hosts())
                + " until this is fixed";
    Diagnostic d =
        new Diagnostic(
            Severity.ERROR,
            SourceRef.file(f.certificate().toString()),
            0,
            0,
            field,
            message + consequence);
    if (d.equals(s.problem)) {
      return false;
    }
    s.problem = d;
    return true;
  }
}
