package io.gangway.server.e2e;

import io.gangway.testing.nacos.NacosDouble;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Nacos double for {@code bench/route-churn.sh} with {@code SOURCE=nacos}: prints {@code ADDR
 * host:port}, then publishes what each line of standard input names ({@code publish <dataId>
 * <file>}: the file's content to {@code public}/{@code DEFAULT_GROUP}) and stops at end of input.
 */
public final class NacosChurnServer {

  private NacosChurnServer() {}

  public static void main(String[] args) throws Exception {
    try (NacosDouble nacos = NacosDouble.start()) {
      System.out.println("ADDR " + nacos.serverAddr());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      long published = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] p = line.trim().split(" ", 3);
        if (p.length == 3 && p[0].equals("publish")) {
          nacos.publishConfig("public", "DEFAULT_GROUP", p[1], Files.readString(Path.of(p[2])));
          published++;
        } else if (!line.isBlank()) {
          System.err.println("nacos-churn: ignored: " + line);
        }
      }
      System.err.println("nacos-churn: " + published + " publishes");
    }
  }
}
