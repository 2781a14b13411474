package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code HeaderControl} changes the headers of a route's requests (before they reach the backend)
 * and responses (before they reach the client): the {@code higress.io/request-header-control-*} and
 * {@code higress.io/response-header-control-*} annotations. Header names are lower case; values are
 * literal text.
 *
 * @param request the operations on request headers
 * @param response the operations on response headers
 */
public record HeaderControl(Operations request, Operations response) implements Policy {

  /** Validates the parts. */
  public HeaderControl {
    requireNonNull(request, "request");
    requireNonNull(response, "response");
  }

  /**
   * {@code Operations} is what is done to one direction's headers, in Envoy's order: the removals
   * first, then the updates, then the additions.
   *
   * @param add headers appended (a value already present is kept, and the new one added)
   * @param update headers set, replacing any value already present
   * @param remove headers removed
   */
  public record Operations(
      SortedMap<String, String> add, SortedMap<String, String> update, List<String> remove) {

    private static final Operations NONE =
        new Operations(new TreeMap<>(), new TreeMap<>(), List.of());

    /** Copies the parts. */
    public Operations {
      add = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(add, "add")));
      update = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(update, "update")));
      remove = List.copyOf(requireNonNull(remove, "remove"));
    }

    /** Returns operations that change nothing. */
    public static Operations none() {
      return NONE;
    }

    /** Returns operations with the given parts. */
    public static Operations of(
        Map<String, String> add, Map<String, String> update, List<String> remove) {
      return new Operations(new TreeMap<>(add), new TreeMap<>(update), remove);
    }

    /** Returns whether nothing is changed. */
    public boolean isEmpty() {
      return add.isEmpty() && update.isEmpty() && remove.isEmpty();
    }
  }
}
