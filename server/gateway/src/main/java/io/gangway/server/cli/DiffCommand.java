package io.gangway.server.cli;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code gangway diff}: a unified diff from what Nacos holds to a local file. Exit status: 0 equal,
 * 1 they differ, 3 Nacos unreachable or login refused (and no diff printed).
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = "Diff a local file against a dataId in Nacos.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:equal",
      "1:they differ",
      "2:usage error",
      "3:Nacos unreachable or login refused"
    })
public final class DiffCommand implements Callable<Integer> {

  @Mixin NacosOptions nacos = new NacosOptions();

  @Parameters(index = "0", paramLabel = "FILE", description = "the local file")
  Path file;

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
    String local = Files.readString(file);
    ConfigService c = nacos.connect();
    String remote;
    try {
      remote = c.getConfig(nacos.dataId, nacos.group, nacos.timeoutMs);
      if (remote == null) {
        NacosOptions.requireConnected(c); // else "absent" would show the whole file as new
      }
    } finally {
      c.shutDown();
    }
    List<String> diff =
        LineDiff.unified(remote == null ? "" : remote, local, nacos.where(), file.toString());
    diff.forEach(System.out::println);
    return diff.isEmpty() ? 0 : 1;
  }
}
