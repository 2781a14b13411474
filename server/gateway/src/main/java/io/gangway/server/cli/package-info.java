/**
 * The {@code gangway} command line: {@code run}, {@code validate}, {@code translate}, {@code
 * bootstrap}, {@code echo}.
 */
@NullMarked
package io.gangway.server.cli;

import org.jspecify.annotations.NullMarked;
