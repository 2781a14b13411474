/**
 * Validation of TLS material (PEM certificate chains and private keys) with the JDK only, shared by
 * the Secret parser and the gateway's certificate files. Messages never contain key material.
 */
@NullMarked
package io.gangway.ingress.tls;

import org.jspecify.annotations.NullMarked;
