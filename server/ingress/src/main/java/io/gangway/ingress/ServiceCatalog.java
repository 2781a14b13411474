package io.gangway.ingress;

import io.gangway.spi.registry.RegistryConfig;
import java.util.Set;

/**
 * {@code ServiceCatalog} tells the translator which service hosts each registry currently
 * discovers, so a short backend name ({@code echo}) can be resolved to a discovered host ({@code
 * echo.DEFAULT-GROUP.public.nacos}). Implementations must be thread-safe; the translator only
 * reads. {@link #NONE} knows no discovered services (offline translation).
 */
@FunctionalInterface
public interface ServiceCatalog {

  /** A catalog that knows no discovered service. */
  ServiceCatalog NONE = registry -> Set.of();

  /** Returns the hosts {@code registry} currently discovers. */
  Set<String> hosts(RegistryConfig registry);
}
