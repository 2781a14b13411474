/**
 * Route source SPI: where route documents come from (files, Nacos) and how changes are published.
 */
@NullMarked
package io.gangway.spi.route;

import org.jspecify.annotations.NullMarked;
