package io.gangway.model.policy;

/**
 * {@code HttpsRedirect} answers requests on plain-HTTP listeners with {@code 308} to the same URL
 * over {@code https} instead of routing them (the {@code ssl-redirect} / {@code force-ssl-redirect}
 * annotations); TLS listeners route normally.
 */
public record HttpsRedirect() implements Policy {}
