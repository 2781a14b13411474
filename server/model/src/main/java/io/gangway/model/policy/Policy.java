package io.gangway.model.policy;

/**
 * {@code Policy} marks one family's policy record: what the user asked for (CORS, a timeout, an IP
 * allow list…), independent of how Envoy implements it. Each family has exactly one record type,
 * and a {@link Policies} set holds at most one value per type.
 *
 * <p>Implementations are immutable records whose {@code toString()} is deterministic (it is printed
 * in golden files and by {@code gangway translate}), and which know nothing of YAML or protobuf.
 */
public interface Policy {}
