package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

/**
 * {@code TrustedCa} is a CA bundle that certificates are verified against (a Secret's {@code
 * ca.crt}), as Envoy receives it over SDS: a validation-context secret referred to by name only, so
 * rotating the CA changes that secret and nothing else.
 *
 * @param name the SDS secret name, {@code ca:<namespace>/<name>} of the Secret holding it
 * @param pem the PEM certificates, validated where they were read
 */
public record TrustedCa(String name, String pem) {

  /** Validates both parts. */
  public TrustedCa {
    requireNonNull(name, "name");
    requireNonNull(pem, "pem");
  }

  /** Shows the name and size only, so printouts stay short and stable in form. */
  @Override
  public String toString() {
    return "TrustedCa[name=" + name + ", pem=<" + pem.length() + " chars>]";
  }
}
