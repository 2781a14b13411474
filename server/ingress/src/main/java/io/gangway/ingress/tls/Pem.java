package io.gangway.ingress.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code Pem} splits PEM text into its blocks. Stateless. */
final class Pem {

  /**
   * One {@code -----BEGIN <type>-----} block; {@code der} is {@code null} when its base64 is
   * invalid.
   */
  @SuppressWarnings("ArrayRecordComponent") // DER blocks are decoded once, never compared or hashed
  record Block(String type, byte[] der) {}

  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----",
          Pattern.DOTALL);
  private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");

  private Pem() {}

  /**
   * Returns the blocks of {@code text} in order.
   *
   * @throws IllegalArgumentException when a block is not terminated, has headers (an encrypted
   *     traditional key) or its body is not base64; the message names the block type only
   */
  static List<Block> blocks(String text) {
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    int end = 0;
    while (m.find()) {
      String between = text.substring(end, m.start());
      Matcher stray = BEGIN.matcher(between);
      if (stray.find()) {
        throw new IllegalArgumentException("the " + stray.group(1) + " block is malformed");
      }
      byte[] der;
      try {
        der = Base64.getDecoder().decode(m.group(2).replaceAll("\\s", ""));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the " + m.group(1) + " block is not valid base64", e);
      }
      out.add(new Block(m.group(1), der));
      end = m.end();
    }
    Matcher stray = BEGIN.matcher(text.substring(end));
    if (stray.find()) {
      throw new IllegalArgumentException(
          "the "
              + stray.group(1)
              + " block is malformed (no matching END line,"
              + " headers or characters that are not base64)");
    }
    return out;
  }
}
