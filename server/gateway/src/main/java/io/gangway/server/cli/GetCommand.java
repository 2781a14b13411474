package io.gangway.server.cli;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import io.gangway.route.nacos.NacosRouteSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code gangway get}: prints a dataId's content; its md5 goes to stderr (for {@code publish
 * --if-md5}). Exit status: 0 printed, 1 the dataId does not exist, 3 Nacos unreachable or login
 * refused.
 */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Print a dataId from Nacos (md5 on stderr).",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:printed",
      "1:the dataId does not exist",
      "2:usage error",
      "3:Nacos unreachable or login refused"
    })
public final class GetCommand implements Callable<Integer> {

  @Mixin NacosOptions nacos = new NacosOptions();

  @Override
  public Integer call() throws Exception {
    try {
      return run();
    } catch (NacosException e) {
      return nacos.fail(e);
    } catch (NacosOptions.UnreachableException e) {
      return nacos.fail(e);
    }
  }

  private int run() throws Exception {
    ConfigService c = nacos.connect();
    try {
      String content = c.getConfig(nacos.dataId, nacos.group, nacos.timeoutMs);
      if (content == null) {
        NacosOptions.requireConnected(c);
        System.err.println("gangway: error: " + nacos.where() + " does not exist");
        return 1;
      }
      System.out.print(content);
      System.err.println("md5: " + NacosRouteSource.md5(content));
      return 0;
    } finally {
      c.shutDown();
    }
  }
}
