package org.powerverse.appliance.internal.system;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Tells {@code progress} the bytes read so far after each read (an upload's or a bundle's). */
public final class CountingInputStream extends FilterInputStream {
  private final LongConsumer progress;
  private long count;

  public CountingInputStream(InputStream in, LongConsumer progress) {
    super(in);
    this.progress = progress;
  }

  public long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      progress.accept(++count);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count += n;
      progress.accept(count);
    }
    return n;
  }
}
