package io.gangway.server.devtools;

/**
 * A WebSocket peer broke RFC 6455; {@link WebSocketSession} answers with a close frame carrying
 * {@link #closeCode()} and then drops the connection.
 */
final class WebSocketProtocolException extends Exception {

  static final int PROTOCOL_ERROR = 1002;
  static final int INVALID_PAYLOAD = 1007;
  static final int MESSAGE_TOO_BIG = 1009;

  private static final long serialVersionUID = 1L;

  private final int closeCode;

  WebSocketProtocolException(int closeCode, String message) {
    super(message, null, false, false); // expected on bad input: no stack trace needed
    this.closeCode = closeCode;
  }

  int closeCode() {
    return closeCode;
  }
}
