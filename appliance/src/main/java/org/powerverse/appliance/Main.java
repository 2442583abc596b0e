package org.powerverse.appliance;

import org.powerverse.appliance.internal.cli.RootCommand;

/** {@code ./powerverse}: the supervisor and its CLI. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // Vert.x logs through SLF4J like everything else (it defaults to java.util.logging).
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    // Vert.x and Netty turn the PEM key into in-memory PKCS#12 key stores (three times per TLS
    // listener), each key encrypted with PBKDF2 at the JDK's 10,000 iterations: a quarter of the
    // CPU of start-up. Those stores never leave memory, so the iterations protect nothing; the
    // key on disk stays a 0600 PEM file. (Ignored when set on the command line.)
    setIfAbsent("keystore.pkcs12.keyPbeIterationCount", "1");
    setIfAbsent("keystore.pkcs12.macIterationCount", "1");
    // Names resolve through the system's resolver (nsswitch, /etc/hosts, resolv.conf) like any
    // other program: Netty's own resolver falls back to Google's public DNS when resolv.conf has
    // no server, and an appliance must never call out to anything it was not configured with.
    setIfAbsent("vertx.disableDnsResolver", "true");
    int status;
    try {
      status = RootCommand.commandLine(args).execute(args);
    } catch (Throwable t) {
      // picocli hands Errors through; without this exit the JVM would wait forever on the
      // supervisor's non-daemon event-loop threads after a failed shutdown.
      t.printStackTrace();
      status = RootCommand.FAILED;
    }
    System.exit(status);
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
