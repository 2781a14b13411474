package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code Policies} is an immutable set of policies, at most one per record type, as routes, virtual
 * hosts and clusters carry them. Adding a family adds a record type, never a field here or in the
 * records that carry a set. Iteration and {@code toString()} are ordered by type name, so equal
 * sets print alike.
 */
public final class Policies {

  private static final Policies NONE = new Policies(new TreeMap<>());

  private final Map<String, Policy> byType;

  private Policies(Map<String, Policy> byType) {
    this.byType = byType;
  }

  /** Returns the empty set. */
  public static Policies none() {
    return NONE;
  }

  /** Returns a set of {@code policies}; a later one of the same type replaces an earlier one. */
  public static Policies of(Policy... policies) {
    Policies p = NONE;
    for (Policy each : policies) {
      p = p.with(each);
    }
    return p;
  }

  /** Returns this set with {@code policy}, replacing any policy of its type. */
  public Policies with(Policy policy) {
    requireNonNull(policy, "policy");
    TreeMap<String, Policy> copy = new TreeMap<>(byType);
    copy.put(policy.getClass().getName(), policy);
    return new Policies(copy);
  }

  /** Returns this set without a policy of {@code type}. */
  public Policies without(Class<? extends Policy> type) {
    if (!byType.containsKey(type.getName())) {
      return this;
    }
    TreeMap<String, Policy> copy = new TreeMap<>(byType);
    copy.remove(type.getName());
    return new Policies(copy);
  }

  /** Returns this set plus every policy of {@code other}; {@code other}'s win on a shared type. */
  public Policies withAll(Policies other) {
    if (other.isEmpty()) {
      return this;
    }
    TreeMap<String, Policy> copy = new TreeMap<>(byType);
    copy.putAll(other.byType);
    return new Policies(copy);
  }

  /** Returns the policy of {@code type}, if present. */
  public <P extends Policy> Optional<P> get(Class<P> type) {
    return Optional.ofNullable(byType.get(type.getName())).map(type::cast);
  }

  /** Returns whether a policy of {@code type} is present. */
  public boolean has(Class<? extends Policy> type) {
    return byType.containsKey(type.getName());
  }

  /** Returns whether the set is empty. */
  public boolean isEmpty() {
    return byType.isEmpty();
  }

  /** Returns the policies ordered by type name. */
  public List<Policy> all() {
    return List.copyOf(byType.values());
  }

  /** Returns each policy keyed by its simple type name, ordered (for printouts). */
  public Map<String, Policy> bySimpleName() {
    Map<String, Policy> out = new TreeMap<>();
    byType.values().forEach(p -> out.put(p.getClass().getSimpleName(), p));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Policies p && p.byType.equals(byType);
  }

  @Override
  public int hashCode() {
    return byType.hashCode();
  }

  @Override
  public String toString() {
    return byType.values().stream()
        .sorted(Comparator.comparing(p -> p.getClass().getSimpleName()))
        .map(Policy::toString)
        .toList()
        .toString();
  }
}
