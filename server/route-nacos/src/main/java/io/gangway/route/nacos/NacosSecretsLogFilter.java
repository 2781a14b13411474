package io.gangway.route.nacos;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Marker;

/**
 * {@code NacosSecretsLogFilter} is a logback turbo filter that keeps Nacos credentials out of the
 * log. Why: every nacos-client {@code ConfigService}/{@code NamingService} logs its "init
 * properties" at INFO, with the password, access key and secret key "desensitised" to their first
 * and last two characters and their exact length ({@code Pw***********ZY}), or in full with {@code
 * logAllProperties}. The filter drops such an event and logs it again, to the same logger, with
 * each secret value replaced by {@code ***}. Declared in Gangway's {@code logback.xml} files
 * ({@code <turboFilter class=.../>}).
 */
public final class NacosSecretsLogFilter extends TurboFilter {

  private static final Pattern SECRET =
      Pattern.compile(
          "(?im)^(\\s*[^=\\n]*(?:password|secretkey|accesskey|token)[^=\\n]*=)[^\\n]*$");
  private static final String MASK = "***";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format == null || !logger.getName().startsWith("com.alibaba.nacos")) {
      return FilterReply.NEUTRAL;
    }
    String masked = mask(format);
    if (masked.equals(format)) {
      return FilterReply.NEUTRAL;
    }
    // Logged again masked; this call sees the masked text and lets it through.
    logger.log(marker, Logger.FQCN, Level.toLocationAwareLoggerInteger(level), masked, params, t);
    return FilterReply.DENY;
  }

  /**
   * Returns {@code text} with the value of every {@code key=value} line whose key names a secret
   * set to ***.
   */
  static String mask(String text) {
    Matcher m = SECRET.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + MASK));
    }
    m.appendTail(out);
    return out.toString();
  }
}
