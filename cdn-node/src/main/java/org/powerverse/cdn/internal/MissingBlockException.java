package org.powerverse.cdn.internal;

import org.powerverse.cdn.Cid;

/** A block a DAG walk needed is not in its source. Carries no stack trace: it is an answer, not a crash. */
public final class MissingBlockException extends RuntimeException {

  private final Cid cid;

  public MissingBlockException(Cid cid) {
    super("block " + cid + " is not available", null, false, false);
    this.cid = cid;
  }

  public Cid cid() {
    return cid;
  }
}
