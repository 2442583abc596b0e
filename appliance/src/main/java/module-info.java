/**
 * The supervisor: it loads the config, creates or loads the node identity, runs the subsystems,
 * serves the REST API, and is the CLI. Only {@code org.powerverse.appliance} (the entry point and the
 * config records) is API; nothing depends on this module.
 */
module org.powerverse.appliance {
  requires org.powerverse.platform;
  requires org.powerverse.hypervisor;
  requires org.powerverse.cdn;
  requires org.powerverse.geo;
  requires org.powerverse.chain;
  requires io.vertx.core;
  requires io.vertx.web;
  requires io.vertx.openapi;
  requires io.vertx.metrics.micrometer;
  requires micrometer.core;
  requires micrometer.registry.prometheus;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires info.picocli;
  requires org.apache.commons.compress;
  requires me.tongfei.progressbar;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.slf4j;
  requires ch.qos.logback.classic;
  requires ch.qos.logback.core;
  requires logstash.logback.encoder;
  requires java.net.http;
  requires jdk.unsupported; // sun.misc.Signal: SIGTERM ends `run` cleanly with exit status 0

  exports org.powerverse.appliance;

  provides ch.qos.logback.classic.spi.Configurator with org.powerverse.appliance.internal.QuietLogging;

  opens org.powerverse.appliance to com.fasterxml.jackson.databind, info.picocli;
  opens org.powerverse.appliance.internal to com.fasterxml.jackson.databind, info.picocli;
  opens org.powerverse.appliance.internal.api to com.fasterxml.jackson.databind;
  opens org.powerverse.appliance.internal.cli to info.picocli, com.fasterxml.jackson.databind;
  opens org.powerverse.appliance.internal.identity to com.fasterxml.jackson.databind;
  opens org.powerverse.appliance.internal.jobs to com.fasterxml.jackson.databind;
  opens org.powerverse.appliance.internal.provider to com.fasterxml.jackson.databind;
  opens org.powerverse.appliance.internal.system to com.fasterxml.jackson.databind;
}
