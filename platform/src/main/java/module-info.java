/**
 * What the appliance and every subsystem share: the subsystem lifecycle and health, typed config
 * loading with path-precise errors, RFC 9457 problems, jobs, the node identity, and the LMDB
 * wrapper. Only {@code org.powerverse.platform} is API.
 */
module org.powerverse.platform {
  requires transitive io.vertx.core;
  requires transitive io.vertx.web;
  requires transitive com.fasterxml.jackson.databind;
  requires transitive micrometer.core;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires lmdbjava;
  requires org.slf4j;

  exports org.powerverse.platform;

  opens org.powerverse.platform to com.fasterxml.jackson.databind;
}
