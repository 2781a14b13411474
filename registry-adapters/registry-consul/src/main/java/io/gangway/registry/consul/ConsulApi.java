package io.gangway.registry.consul;

import com.ecwid.consul.transport.TransportException;
import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.ConsulRawClient;
import com.ecwid.consul.v1.OperationException;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.catalog.CatalogServicesRequest;
import com.ecwid.consul.v1.health.HealthServicesRequest;
import com.ecwid.consul.v1.health.model.HealthService;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.HttpResponseInterceptor;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.jspecify.annotations.Nullable;

/**
 * {@code ConsulApi} is the only class that talks to consul-api: the two reads the registry needs,
 * over one pooled Apache HTTP client that {@link #close} shuts down, which also aborts blocked
 * queries. Thread-safe.
 */
final class ConsulApi implements AutoCloseable {

  /** How long one blocking health query may be held by Consul (it adds up to wait/16 of jitter). */
  static final Duration BLOCKING_WAIT = Duration.ofSeconds(30);

  private final ConsulSettings settings;
  private final CloseableHttpClient http;
  private final ConsulClient client;

  ConsulApi(ConsulSettings settings) {
    this.settings = settings;
    PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
    // One connection per watched service is held by its blocking query.
    pool.setMaxTotal(100_000);
    pool.setDefaultMaxPerRoute(100_000);
    long socketTimeout = BLOCKING_WAIT.toMillis() + BLOCKING_WAIT.toMillis() / 16 + 10_000;
    RequestConfig timeouts =
        RequestConfig.custom()
            .setConnectTimeout(5_000)
            .setConnectionRequestTimeout(5_000)
            .setSocketTimeout((int) socketTimeout)
            .build();
    String token = settings.token();
    // consul-api sends a request's token as ?token=, which Consul deprecates, logs with the URL and
    // will
    // drop; the token goes in the X-Consul-Token header instead and is never set on a request.
    HttpRequestInterceptor tokenHeader =
        (request, context) -> {
          if (token != null) {
            request.setHeader("X-Consul-Token", token);
          }
        };
    // Consul marks a read that ACLs filtered (only for a real token); remembered per calling
    // thread.
    HttpResponseInterceptor filteredHeader =
        (response, context) ->
            FILTERED.set(
                "true"
                    .equalsIgnoreCase(headerValue(response, "X-Consul-Results-Filtered-By-ACLs")));
    this.http =
        HttpClients.custom()
            .setConnectionManager(pool)
            .setDefaultRequestConfig(timeouts)
            .addInterceptorLast(tokenHeader)
            .addInterceptorLast(filteredHeader)
            .build();
    // consul-api keeps an https:// prefix of the host (and adds http:// otherwise).
    this.client =
        new ConsulClient(
            new ConsulRawClient(
                settings.scheme() + "://" + settings.host(), settings.port(), http));
  }

  private static final ThreadLocal<Boolean> FILTERED = ThreadLocal.withInitial(() -> false);

  private static @Nullable String headerValue(org.apache.http.HttpResponse r, String name) {
    org.apache.http.Header h = r.getFirstHeader(name);
    return h == null ? null : h.getValue();
  }

  /** Returns whether the last answer received on this thread said ACLs filtered it. */
  static boolean lastAnswerFilteredByAcls() {
    return FILTERED.get();
  }

  /**
   * Returns every service name of the datacenter with its tags once the catalog's index exceeds
   * {@code index} (a blocking query; 0 answers at once): {@code GET /v1/catalog/services?dc=}.
   */
  Response<Map<String, List<String>>> catalogServices(long index) throws ConsulCallException {
    try {
      FILTERED.set(false);
      QueryParams query =
          index > 0 ? new QueryParams(BLOCKING_WAIT.toSeconds(), index) : QueryParams.DEFAULT;
      return client.getCatalogServices(
          CatalogServicesRequest.newBuilder()
              .setDatacenter(settings.datacenter())
              .setQueryParams(query)
              .build());
    } catch (RuntimeException e) {
      throw failure("/v1/catalog/services?dc=" + settings.datacenter() + "&index=" + index, e);
    }
  }

  /**
   * Returns the passing instances of {@code service} once the service's index exceeds {@code index}
   * (a blocking query; {@code index} 0 answers at once): {@code GET
   * /v1/health/service/<name>?passing}.
   */
  Response<List<HealthService>> passingInstances(String service, long index)
      throws ConsulCallException {
    try {
      FILTERED.set(false);
      QueryParams query =
          index > 0 ? new QueryParams(BLOCKING_WAIT.toSeconds(), index) : QueryParams.DEFAULT;
      return client.getHealthServices(
          service,
          HealthServicesRequest.newBuilder()
              .setDatacenter(settings.datacenter())
              .setPassing(true)
              .setQueryParams(query)
              .build());
    } catch (RuntimeException e) {
      throw failure(
          "/v1/health/service/"
              + service
              + "?dc="
              + settings.datacenter()
              + "&passing&index="
              + index,
          e);
    }
  }

  @Override
  public void close() {
    try {
      http.close();
    } catch (IOException ignored) {
      // Closing sockets that are already broken.
    }
  }

  private ConsulCallException failure(String target, RuntimeException e) {
    String what;
    if (e instanceof OperationException op) {
      String body = op.getStatusContent() == null ? "" : op.getStatusContent().trim();
      what = "HTTP " + op.getStatusCode() + (body.isEmpty() ? "" : " " + body);
    } else if (e instanceof TransportException && e.getCause() != null) {
      what = e.getCause().toString();
    } else {
      what = e.toString();
    }
    return new ConsulCallException("GET " + settings.address() + target + ": " + what, e);
  }

  /** A failed call to Consul; the message names the request and the answer. */
  static final class ConsulCallException extends Exception {
    private static final long serialVersionUID = 1L;

    ConsulCallException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
