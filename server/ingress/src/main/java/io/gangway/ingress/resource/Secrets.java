package io.gangway.ingress.resource;

import io.gangway.ingress.tls.TlsMaterial;
import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import io.gangway.spi.route.RouteDocument;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * {@code Secrets} parses {@code v1} Secret objects: {@code kubernetes.io/tls} Secrets for TLS, any
 * other type as registry credentials ({@link CredentialSecret}). For TLS, its {@code tls.crt} and
 * {@code tls.key} come from {@code stringData} (plain PEM) or {@code data} (base64 of the PEM),
 * {@code stringData} winning per key as the API server merges them. The pair is checked with {@link
 * TlsMaterial}: a Secret that Envoy could not load is an error in its document, so the document's
 * last good version, with the previous certificate, stays live.
 *
 * <p>Nothing here ever quotes a value of {@code data} or {@code stringData}: messages name the
 * field.
 */
final class Secrets {

  static final String TLS_TYPE = "kubernetes.io/tls";
  static final String CERT = "tls.crt";
  static final String KEY = "tls.key";
  static final String CA = "ca.crt";

  private Secrets() {}

  /** Returns whether the Secret is a TLS Secret (else it holds credentials). */
  static boolean isTls(YNode root, Diagnostics d) {
    return TLS_TYPE.equals(root.get("type").text(new Diagnostics(d.source())));
  }

  /**
   * Parses a non-TLS Secret: every {@code data} value base64-decoded, {@code stringData} winning
   * per key. Values are never quoted in messages.
   */
  static @Nullable CredentialSecret parseCredentials(YNode root, RouteDocument doc, Diagnostics d) {
    int errorsBefore = d.errorCount();
    YNode meta = root.get("metadata");
    String name = Names.requiredName(meta.get("name"), d);
    String namespace = Names.optionalName(meta.get("namespace"), "default", d);
    YNode data = root.get("data");
    YNode stringData = root.get("stringData");
    for (YNode n : new YNode[] {data, stringData}) {
      if (!n.isMissing() && !n.isMap()) {
        d.error(
            n,
            n.path().substring(n.path().lastIndexOf('.') + 1)
                + " must be a mapping of key to value (the value is not shown)");
      }
    }
    if (d.errorCount() > errorsBefore || name == null) {
      return null;
    }
    java.util.Map<String, String> values = new java.util.TreeMap<>();
    for (java.util.Map.Entry<String, YNode> e : data.entries(d).entrySet()) {
      if (e.getValue().isMap() || e.getValue().isList()) {
        d.error(e.getValue(), "data." + e.getKey() + " must be a string");
        continue;
      }
      String raw = e.getValue().text(new Diagnostics(d.source()));
      try {
        values.put(
            e.getKey(),
            new String(
                Base64.getMimeDecoder().decode(raw == null ? "" : raw), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException ex) {
        d.error(
            e.getValue(), "data." + e.getKey() + " is not valid base64 (the value is not shown)");
      }
    }
    for (java.util.Map.Entry<String, YNode> e : stringData.entries(d).entrySet()) {
      if (e.getValue().isMap() || e.getValue().isList()) {
        d.error(e.getValue(), "stringData." + e.getKey() + " must be a string");
        continue;
      }
      String raw = e.getValue().text(new Diagnostics(d.source()));
      values.put(e.getKey(), raw == null ? "" : raw);
    }
    if (d.errorCount() > errorsBefore) {
      return null;
    }
    return new CredentialSecret(namespace, name, values, doc.source(), root);
  }

  static @Nullable SecretResource parse(YNode root, RouteDocument doc, Diagnostics d) {
    int errorsBefore = d.errorCount();
    YNode meta = root.get("metadata");
    String name = Names.requiredName(meta.get("name"), d);
    String namespace = Names.optionalName(meta.get("namespace"), "default", d);
    YNode data = root.get("data");
    YNode stringData = root.get("stringData");
    // Checked before reading entries: a type error would otherwise quote the (secret) scalar.
    for (YNode n : new YNode[] {data, stringData}) {
      if (!n.isMissing() && !n.isMap()) {
        d.error(
            n,
            n.path().substring(n.path().lastIndexOf('.') + 1)
                + " must be a mapping of key to value (the value is not shown)");
      }
    }
    if (d.errorCount() > errorsBefore) {
      return null;
    }
    YNode certAt = stringData.get(CERT).isMissing() ? data.get(CERT) : stringData.get(CERT);
    YNode keyAt = stringData.get(KEY).isMissing() ? data.get(KEY) : stringData.get(KEY);
    String cert = value(certAt, CERT, stringData.get(CERT).isMissing(), root, d);
    String key = value(keyAt, KEY, stringData.get(KEY).isMissing(), root, d);
    if (cert == null || key == null || name == null || d.errorCount() > errorsBefore) {
      return null;
    }
    TlsMaterial.Problem problem = TlsMaterial.check(cert, key);
    if (problem != null) {
      boolean certificate = problem.part() == TlsMaterial.Part.CERTIFICATE;
      d.error(certificate ? certAt : keyAt, (certificate ? CERT : KEY) + ": " + problem.message());
      return null;
    }
    // Optional: the CA that certificates are verified against (auth-tls-secret, proxy-ssl-verify).
    YNode caAt = stringData.get(CA).isMissing() ? data.get(CA) : stringData.get(CA);
    String ca = "";
    if (!caAt.isMissing()) {
      ca = value(caAt, CA, stringData.get(CA).isMissing(), root, d);
      String caProblem = ca == null ? null : TlsMaterial.checkCa(ca);
      if (caProblem != null) {
        d.error(caAt, CA + ": " + caProblem);
      }
      if (ca == null || caProblem != null) {
        return null;
      }
    }
    return new SecretResource(namespace, name, cert, key, doc.source(), root, ca);
  }

  /**
   * Returns the PEM text of one key, decoding base64 for {@code data}; records an error when
   * unusable.
   */
  private static @Nullable String value(
      YNode at, String key, boolean base64, YNode root, Diagnostics d) {
    String field = at.path().substring(root.path().length() + 1);
    if (at.isMissing()) {
      d.error(
          root,
          "a "
              + TLS_TYPE
              + " Secret needs "
              + key
              + " (in data as base64, or in stringData as PEM)");
      return null;
    }
    if (at.isMap() || at.isList()) {
      d.error(at, field + " must be a string");
      return null;
    }
    String text = at.text(d);
    if (text == null || text.isBlank()) {
      d.error(at, field + " is empty");
      return null;
    }
    if (!base64) {
      return text;
    }
    byte[] bytes;
    try {
      // The API server's decoder (Go StdEncoding) ignores line breaks; nothing else.
      bytes = Base64.getDecoder().decode(text.replace("\n", "").replace("\r", ""));
    } catch (IllegalArgumentException e) {
      d.error(
          at,
          field
              + " is not valid base64 (data values are base64; put PEM text in stringData instead)");
      return null;
    }
    try {
      return StandardCharsets.US_ASCII.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      d.error(
          at, field + " does not decode to PEM text (expected: base64 of a PEM file, not of DER)");
      return null;
    }
  }
}
