package io.gangway.model;

import static java.util.Objects.requireNonNull;

/**
 * {@code TlsBinding} says which certificate a TLS listener presents for one server name (SNI).
 *
 * @param host an exact host ({@code a.example.com}), a wildcard ({@code *.example.com}; any
 *     subdomain), or {@code *}: any server name no other binding matches, and clients sending none
 *     (the default certificate)
 * @param certificate the {@link Certificate#name()} presented
 */
public record TlsBinding(String host, String certificate) {

  /** Validates both parts. */
  public TlsBinding {
    requireNonNull(host, "host");
    requireNonNull(certificate, "certificate");
  }
}
