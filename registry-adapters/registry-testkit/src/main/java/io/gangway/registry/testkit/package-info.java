/**
 * Contract tests every registry adapter runs against its real backing registry: {@link
 * io.gangway.registry.testkit.RegistryContractTest} plus the {@link
 * io.gangway.registry.testkit.RecordingListener} it observes through. Used with {@code
 * <scope>test</scope>}.
 */
@NullMarked
package io.gangway.registry.testkit;

import org.jspecify.annotations.NullMarked;
