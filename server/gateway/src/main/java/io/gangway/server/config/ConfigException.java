package io.gangway.server.config;

/**
 * {@code ConfigException} is a problem with the static configuration. Its message is one line
 * saying what is wrong and how to fix it; the CLI prints it as {@code gangway: error: <message>}.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with its one-line message. */
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
