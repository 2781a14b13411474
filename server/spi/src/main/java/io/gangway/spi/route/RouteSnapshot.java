package io.gangway.spi.route;

import java.util.List;

/**
 * {@code RouteSnapshot} is the complete set of route documents a source currently holds. Sources
 * always publish the whole set, never a delta, so the pipeline can tell a deleted document from an
 * unchanged one.
 *
 * @param documents every document of the source, in a stable order
 */
public record RouteSnapshot(List<RouteDocument> documents) {

  /** Copies the list. */
  public RouteSnapshot {
    documents = List.copyOf(documents);
  }
}
