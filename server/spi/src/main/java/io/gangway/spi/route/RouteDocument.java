package io.gangway.spi.route;

import static java.util.Objects.requireNonNull;

/**
 * {@code RouteDocument} is one unit of route configuration as its source stores it: a file, or a
 * Nacos dataId, holding one or more YAML documents. It is also the unit of rejection: when a
 * document has errors, the pipeline keeps serving the last good version of that same document.
 *
 * @param source where the text came from
 * @param content the raw text, unparsed
 * @param version a source-defined version (content hash for files, md5 for Nacos)
 */
public record RouteDocument(SourceRef source, String content, String version) {

  /** Validates all parts. */
  public RouteDocument {
    requireNonNull(source, "source");
    requireNonNull(content, "content");
    requireNonNull(version, "version");
  }
}
