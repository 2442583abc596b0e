package org.powerverse.cdn.internal;

import java.util.Objects;
import org.powerverse.cdn.Cid;

/**
 * A dag-pb link (dag-pb spec, "Logical Format"): the child's CID, an optional name and an optional
 * cumulative size of the child's DAG ({@code Tsize}).
 *
 * @param hash the child
 * @param name the entry name in a directory; absent (null) or empty inside files
 * @param tsize the child's DAG size in bytes, blocks and their encodings included; null if absent
 */
public record PbLink(Cid hash, String name, Long tsize) {

  public PbLink {
    Objects.requireNonNull(hash, "hash");
    if (tsize != null && tsize < 0) {
      throw new IllegalArgumentException("Tsize must be non-negative, got " + tsize);
    }
  }

  /** The name, with an absent one read as empty (dag-pb spec, "Link sorting"). */
  public String nameOrEmpty() {
    return name == null ? "" : name;
  }

  public long tsizeOrZero() {
    return tsize == null ? 0 : tsize;
  }
}
