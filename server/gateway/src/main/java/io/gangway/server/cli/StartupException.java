package io.gangway.server.cli;

/**
 * {@code StartupException} is a fatal start-up problem with its exit status: 2 for configuration, 3
 * for a port in use. Its message is the one line printed as {@code gangway: error: <message>}.
 */
final class StartupException extends Exception {

  private static final long serialVersionUID = 1L;

  static final int CONFIG = 2;
  static final int PORT_IN_USE = 3;

  private final int exitCode;

  StartupException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
