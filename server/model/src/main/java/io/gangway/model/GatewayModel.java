package io.gangway.model;

import io.gangway.spi.registry.RegistryConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GatewayModel} is the whole translated routing state: what the route documents mean,
 * independent of Envoy. Endpoints are not part of it; they join only in the xDS stage, so an
 * instance change never re-runs route translation.
 *
 * @param virtualHosts sorted by host; {@code *} last
 * @param clusters sorted by name
 * @param registries the McpBridge registries, in declaration order
 * @param certificates the certificates some {@link TlsBinding} uses, sorted by name
 * @param tls which certificate each server name gets, sorted by host; at most one binding per host
 */
public record GatewayModel(
    List<VirtualHost> virtualHosts,
    List<ClusterSpec> clusters,
    List<RegistryConfig> registries,
    List<Certificate> certificates,
    List<TlsBinding> tls) {

  /**
   * Copies the lists and checks that every binding names a certificate of the model, once per host.
   */
  public GatewayModel {
    virtualHosts = List.copyOf(virtualHosts);
    clusters = List.copyOf(clusters);
    registries = List.copyOf(registries);
    certificates = List.copyOf(certificates);
    tls = List.copyOf(tls);
    Set<String> names = new HashSet<>();
    certificates.forEach(c -> names.add(c.name()));
    Set<String> hosts = new HashSet<>();
    for (TlsBinding b : tls) {
      if (!names.contains(b.certificate())) {
        throw new IllegalArgumentException(
            "tls: host "
                + b.host()
                + " uses certificate "
                + b.certificate()
                + " (expected: one of the model's certificates "
                + names
                + ")");
      }
      if (!hosts.add(b.host())) {
        throw new IllegalArgumentException(
            "tls: host " + b.host() + " is bound twice (expected: once)");
      }
    }
  }

  /** Returns a model without TLS: routes, clusters and registries only. */
  public GatewayModel(
      List<VirtualHost> virtualHosts, List<ClusterSpec> clusters, List<RegistryConfig> registries) {
    this(virtualHosts, clusters, registries, List.of(), List.of());
  }

  /** Returns a model with no routes, clusters or registries. */
  public static GatewayModel empty() {
    return new GatewayModel(List.of(), List.of(), List.of());
  }

  /**
   * Returns this model plus fallback certificates: each of {@code bindings} whose host this model
   * does not bind yet is added, with its certificate. This is how the certificates of {@code
   * gangway.yaml} join the ones of the route documents, which take precedence (as Higress consults
   * its {@code higress-https} ConfigMap only for hosts without an Ingress secret).
   *
   * @param fallback the certificates {@code bindings} refer to
   * @param bindings host bindings; a host bound twice keeps the first
   */
  public GatewayModel withFallbackTls(List<Certificate> fallback, List<TlsBinding> bindings) {
    if (bindings.isEmpty()) {
      return this;
    }
    Set<String> hosts = new HashSet<>();
    tls.forEach(b -> hosts.add(b.host()));
    Set<String> names = new HashSet<>();
    certificates.forEach(c -> names.add(c.name()));
    List<TlsBinding> allBindings = new ArrayList<>(tls);
    List<Certificate> allCertificates = new ArrayList<>(certificates);
    for (TlsBinding b : bindings) {
      if (!hosts.add(b.host())) {
        continue;
      }
      allBindings.add(b);
      if (names.add(b.certificate())) {
        allCertificates.add(
            fallback.stream()
                .filter(c -> c.name().equals(b.certificate()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "bindings: " + b + " (expected: a certificate in fallback)")));
      }
    }
    allCertificates.sort(Comparator.comparing(Certificate::name));
    allBindings.sort(Comparator.comparing(TlsBinding::host));
    return new GatewayModel(virtualHosts, clusters, registries, allCertificates, allBindings);
  }
}
