/**
 * The node's IPFS-compatible content cache: CIDs and multiformats, dag-pb and UnixFS, CAR
 * archives, the LMDB blockstore, and the trustless + path gateway. Only {@code org.powerverse.cdn}
 * is API; {@code .internal} holds the codecs, the store and the HTTP serving.
 */
module org.powerverse.cdn {
  requires transitive org.powerverse.platform;
  requires info.picocli;
  requires lmdbjava;
  requires com.github.benmanes.caffeine;
  requires org.apache.commons.codec;
  requires com.fasterxml.jackson.dataformat.cbor;
  requires org.slf4j;
  requires java.net.http;
  requires io.netty.buffer;

  exports org.powerverse.cdn;

  // picocli reads and sets the command classes' annotated fields reflectively; Jackson maps the
  // API records.
  opens org.powerverse.cdn to info.picocli, com.fasterxml.jackson.databind;
}
