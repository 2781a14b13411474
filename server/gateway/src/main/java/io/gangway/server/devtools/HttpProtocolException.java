package io.gangway.server.devtools;

/**
 * A request the server refuses to process; {@link HttpConnection} answers it with {@link #status()}
 * and then closes the connection, because after a framing error the next request cannot be found.
 */
final class HttpProtocolException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int status;

  HttpProtocolException(int status, String message) {
    super(message, null, false, false); // expected on bad input: no stack trace needed
    this.status = status;
  }

  static HttpProtocolException badRequest(String message) {
    return new HttpProtocolException(400, message);
  }

  int status() {
    return status;
  }
}
