/**
 * The {@code eureka} registry: a full {@code GET /eureka/apps} (JSON, JDK HttpClient, no Netflix
 * client) every 30 s, UP instances only, host {@code <APP-NAME>.eureka}.
 */
@NullMarked
package io.gangway.registry.eureka;

import org.jspecify.annotations.NullMarked;
