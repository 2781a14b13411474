/** The {@code nacos} (1.x) registry over the Nacos v1 HTTP Open API, without nacos-client. */
@NullMarked
package io.gangway.registry.nacos;

import org.jspecify.annotations.NullMarked;
