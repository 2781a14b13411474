package io.gangway.xds;

/**
 * {@code FilterOrder} is the one explicit order of the HTTP filters policies install, lower first
 * on requests: who may enter is decided before anything is answered or counted, and a preflight is
 * answered before authentication (browsers send it without credentials), as in Higress's plugin
 * phases (AUTHN, AUTHZ, STATS). Two filters never share a value; the values leave room between
 * them.
 */
public final class FilterOrder {

  /**
   * IP allow and deny lists ({@code whitelist/denylist-source-range}): first, nothing runs for a
   * refused client.
   */
  public static final int ACCESS_CONTROL = 100;

  /** CORS: answers preflights at the edge and adds the response headers. */
  public static final int CORS = 200;

  /** Authentication (consumers). */
  public static final int AUTHN = 300;

  /** Authorization. */
  public static final int AUTHZ = 400;

  /** Local and shared rate limits: only requests that may pass are counted. */
  public static final int RATE_LIMIT = 500;

  /** Plugins that observe or transform requests. */
  public static final int STATS = 600;

  /** Header and body transformations just before routing. */
  public static final int TRANSFORM = 700;

  /**
   * The retry of idempotent requests on a connection reset after the request was sent (a
   * header-only filter, {@code IdempotentResetRetry}): after everything that may answer or change
   * the request, before the router reads its retry conditions.
   */
  public static final int RETRY_CONDITIONS = 750;

  /**
   * Upstream error responses answered by another backend ({@code custom-http-errors}): last before
   * the router, so on the way back it is the first to see the upstream's response.
   */
  public static final int ERROR_RESPONSE = 800;

  private FilterOrder() {}
}
