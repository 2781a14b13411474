package io.gangway.route.nacos;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code HigressLayout} is how higress-standalone stores Kubernetes objects in Nacos: namespace
 * {@code higress-system}, group = the object's namespace, dataId {@code <plural>.<name>}, with an
 * index dataId {@code <plural>.__names__} in group {@code DEFAULT_GROUP} listing {@code
 * group/dataId} lines (or {@code EMPTY}). Secrets may be encrypted as {@code enc|} +
 * base64url(AES-CBC(key, IV = key[0..16), PKCS5)). Gangway reads the kinds it routes with:
 * Ingresses, McpBridges and Secrets.
 */
final class HigressLayout {

  static final List<String> PLURALS = List.of("ingresses", "mcpbridges", "secrets");
  static final String INDEX_GROUP = "DEFAULT_GROUP";

  /** One object reference from an index: where its content lives. */
  record Item(String group, String dataId) {}

  private HigressLayout() {}

  static String indexDataId(String plural) {
    return plural + ".__names__";
  }

  /**
   * Parses an index; blank lines and {@code EMPTY} mean no entries; malformed lines are skipped.
   */
  static List<Item> parseIndex(String content) {
    List<Item> out = new ArrayList<>();
    for (String raw : content.split("\n", -1)) {
      String line = raw.trim();
      if (line.isEmpty() || line.equals("EMPTY")) {
        continue;
      }
      int slash = line.indexOf('/');
      if (slash > 0 && slash < line.length() - 1) {
        out.add(new Item(line.substring(0, slash), line.substring(slash + 1)));
      }
    }
    return out;
  }

  /** Decrypts an {@code enc|} value; returns the content unchanged when it is not encrypted. */
  static String decrypt(String content, byte[] key) throws GeneralSecurityException {
    if (!content.startsWith("enc|")) {
      return content;
    }
    byte[] data = Base64.getUrlDecoder().decode(content.substring(4).trim());
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
    byte[] iv = java.util.Arrays.copyOf(key, 16);
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    return new String(c.doFinal(data), StandardCharsets.UTF_8);
  }
}
