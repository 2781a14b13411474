package io.gangway.route.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.config.ConfigService;
import io.gangway.testing.nacos.NacosDouble;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * nacos-client logs its init properties with the password shown as first/last two characters and
 * its length; with {@link NacosSecretsLogFilter} installed the log holds {@code ***} only.
 */
class NacosSecretsLogFilterTest {

  private static final String PASSWORD = "Pw-route-secret-ZY";

  @Test
  void nacosClientInitLog_showsNoPartOfThePassword() throws Exception {
    System.setProperty("JM.LOG.PATH", "target/nacos-client/logs");
    System.setProperty("JM.SNAPSHOT.PATH", "target/nacos-client/snapshot");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    NacosSecretsLogFilter filter = new NacosSecretsLogFilter();
    filter.start();
    context.addTurboFilter(filter);
    Logger nacosLogger = context.getLogger("com.alibaba.nacos");
    Level before = nacosLogger.getLevel();
    nacosLogger.setLevel(Level.INFO);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    nacosLogger.addAppender(events);
    try (NacosDouble nacos = NacosDouble.builder().auth("gangway", PASSWORD).start()) {
      Properties p = new Properties();
      p.setProperty("serverAddr", nacos.serverAddr());
      p.setProperty("username", "gangway");
      p.setProperty("password", PASSWORD);
      ConfigService config = NacosFactory.createConfigService(p);
      config.shutDown();
    } finally {
      nacosLogger.detachAppender(events);
      nacosLogger.setLevel(before);
      context.getTurboFilterList().remove(filter);
    }

    List<String> lines = events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines)
        .as("the init-properties line is still logged")
        .anyMatch(l -> l.contains("username=gangway"));
    assertThat(lines).anyMatch(l -> l.contains("password=***"));
    assertThat(String.join("\n", lines))
        .doesNotContain("Pw*")
        .doesNotContain("*ZY")
        .doesNotContain(PASSWORD);
  }

  @Test
  void shippedServerLogConfig_installsTheFilter() throws Exception {
    System.setProperty("gangway.log.dir", "target/logback-conf-test");
    LoggerContext fresh = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(fresh);
    configurator.doConfigure(Path.of("../../conf/logback.xml").toFile());
    try {
      assertThat(fresh.getTurboFilterList())
          .hasAtLeastOneElementOfType(NacosSecretsLogFilter.class);
    } finally {
      fresh.stop();
    }
  }

  @Test
  void mask_replacesEverySecretValue_andKeepsTheRest() {
    String text =
        "Nacos client key init properties: \n\tserverAddr=10.0.0.1:8848\n\tpassword=Pw***********ZY\n"
            + "\taccessKey=AK***ey\n\tsecretKey=se***et\n";

    assertThat(NacosSecretsLogFilter.mask(text))
        .isEqualTo(
            "Nacos client key init properties: \n"
                + "\tserverAddr=10.0.0.1:8848\n\tpassword=***\n\taccessKey=***\n\tsecretKey=***\n");
  }
}
