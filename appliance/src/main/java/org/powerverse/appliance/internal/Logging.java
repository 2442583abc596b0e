package org.powerverse.appliance.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.Console;
import java.lang.reflect.Method;
import org.powerverse.appliance.NodeConfig;
import org.slf4j.LoggerFactory;

/**
 * Structured logs on stderr: one JSON object per event (logstash-logback-encoder, with the events'
 * key-value pairs as fields) for journald and log shippers, or readable lines on a terminal.
 */
public final class Logging {

  private Logging() {}

  public static void configure(NodeConfig.LogConfig config) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    boolean json = switch (config.format()) {
      case json -> true;
      case text -> false;
      case auto -> !onTerminal();
    };
    Encoder<ILoggingEvent> encoder;
    if (json) {
      net.logstash.logback.encoder.LogstashEncoder logstash = new net.logstash.logback.encoder.LogstashEncoder();
      logstash.setIncludeContext(false);
      encoder = logstash;
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} %msg %kvp%n");
      encoder = pattern;
    }
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.setName("stderr");
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(config.level().name().toUpperCase(java.util.Locale.ROOT)));
    root.addAppender(appender);
    quietenKnownNoise(context);
    // Netty and Vert.x are chatty at debug; keep them at info unless asked for trace.
    if (config.level() != NodeConfig.LogConfig.Level.trace) {
      context.getLogger("io.netty").setLevel(Level.INFO);
      context.getLogger("io.vertx").setLevel(Level.INFO);
    }
  }

  /**
   * Vert.x's Micrometer binding registers some gauges once per HTTP version of a TLS server and
   * Micrometer warns about the duplicate; the gauges themselves are right.
   */
  static void quietenKnownNoise(LoggerContext context) {
    context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
  }

  /** Flushes and stops logging (last thing before the process exits). */
  public static void stop() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
  }

  /** Whether the console is a terminal (JDK 22+ can tell exactly; 21 approximates). */
  public static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
