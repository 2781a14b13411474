package io.gangway.testing.nacos;

/**
 * A request failure that the real server reports through {@code ErrorResponse.build(exception)}:
 * resultCode and errorCode both become {@link #code()}. Stackless; it is a protocol answer.
 */
final class RpcException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int code;

  RpcException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  int code() {
    return code;
  }
}
