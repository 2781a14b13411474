package io.gangway.ingress.annotation;

import io.gangway.model.ClusterSpec;
import io.gangway.model.RouteMatch;
import io.gangway.model.policy.Policies;
import io.gangway.model.policy.Policy;
import java.util.function.UnaryOperator;

/**
 * {@code IngressPolicies} is what the annotation families made of one Ingress, by Higress's scopes:
 * route policies apply to every route of the Ingress, {@link #match} refines each route's match
 * (header, query and method conditions, regex mode, case), {@link #cluster} shapes each cluster the
 * Ingress creates (service scope: only the oldest Ingress that uses a cluster shapes it), and host
 * policies apply to each of its rule hosts (domain scope).
 *
 * @param route policies of every route of the Ingress
 * @param match applied to the match of each route written in the Ingress's rules
 * @param cluster applied to each cluster the Ingress is the first to use
 * @param host policies of every host the Ingress's rules name
 */
public record IngressPolicies(
    Policies route,
    UnaryOperator<RouteMatch> match,
    UnaryOperator<ClusterSpec> cluster,
    Policies host) {

  /** Returns what an Ingress without annotations gets. */
  public static IngressPolicies none() {
    return new IngressPolicies(
        Policies.none(), UnaryOperator.identity(), UnaryOperator.identity(), Policies.none());
  }

  /** Collects one Ingress's policies as the families parse them. Not thread-safe. */
  public static final class Builder {
    private Policies route = Policies.none();
    private UnaryOperator<RouteMatch> match = UnaryOperator.identity();
    private UnaryOperator<ClusterSpec> cluster = UnaryOperator.identity();
    private Policies host = Policies.none();

    /** Adds a policy to every route of the Ingress. */
    public Builder route(Policy p) {
      route = route.with(p);
      return this;
    }

    /** Returns the route policies added so far (a family may depend on an earlier one's). */
    public Policies routePolicies() {
      return route;
    }

    /** Refines every route's match with {@code refine}, after the refinements added before. */
    public Builder match(UnaryOperator<RouteMatch> refine) {
      UnaryOperator<RouteMatch> before = match;
      match = m -> refine.apply(before.apply(m));
      return this;
    }

    /** Adds a service-scope policy to every cluster the Ingress creates. */
    public Builder service(Policy p) {
      return cluster(c -> c.withPolicies(c.policies().with(p)));
    }

    /**
     * Shapes every cluster the Ingress creates with {@code shape}, after the shapes added before.
     */
    public Builder cluster(UnaryOperator<ClusterSpec> shape) {
      UnaryOperator<ClusterSpec> before = cluster;
      cluster = c -> shape.apply(before.apply(c));
      return this;
    }

    /** Adds a domain-scope policy to every host of the Ingress's rules. */
    public Builder host(Policy p) {
      host = host.with(p);
      return this;
    }

    /** Returns the collected policies. */
    public IngressPolicies build() {
      return new IngressPolicies(route, match, cluster, host);
    }
  }
}
