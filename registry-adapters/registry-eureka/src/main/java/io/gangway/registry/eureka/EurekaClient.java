package io.gangway.registry.eureka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code EurekaClient} fetches the full registry with the JDK HttpClient, asking for JSON. Its
 * worker threads come from {@code threads} and are ended by {@link #close}. Thread-safe.
 */
final class EurekaClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final EurekaSettings settings;
  private final ExecutorService workers;
  private final HttpClient http;

  EurekaClient(EurekaSettings settings, ThreadFactory threads) {
    this.settings = settings;
    this.workers = Executors.newCachedThreadPool(threads);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .executor(workers)
            .build();
  }

  /** Returns the parsed {@code GET /eureka/apps} answer; throws naming the URL and the failure. */
  JsonNode applications() throws EurekaCallException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(settings.appsUri())
            .header("Accept", "application/json")
            .timeout(REQUEST_TIMEOUT)
            .GET()
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw failure(describe(e), e);
    }
    if (response.statusCode() != 200) {
      String body = new String(response.body(), StandardCharsets.UTF_8).strip();
      throw failure(
          "HTTP " + response.statusCode() + (body.isEmpty() ? "" : " " + abbreviate(body)), null);
    }
    try {
      return JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw failure("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw failure("unreadable answer: " + e, e);
    }
  }

  /** Interrupts work in flight and waits briefly for the worker threads to end. */
  @Override
  public void close() {
    workers.shutdownNow();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  EurekaCallException failure(String what, @Nullable Throwable cause) {
    return new EurekaCallException("GET " + settings.appsUri() + ": " + what, cause);
  }

  /**
   * The JDK client's exceptions often have no message; the first message down the cause chain says
   * more.
   */
  private static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return e.getClass().getName() + ": " + t.getMessage();
      }
    }
    return e.getClass().getName() + " (could not connect)";
  }

  private static String abbreviate(String s) {
    String one = s.replaceAll("\\s+", " ");
    return one.length() > 200 ? one.substring(0, 200) + "..." : one;
  }

  /** A failed or unusable answer from Eureka; the message names the request and the answer. */
  static final class EurekaCallException extends Exception {
    private static final long serialVersionUID = 1L;

    EurekaCallException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }
}
