package org.powerverse.platform;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vert.x request body as a blocking InputStream, for uploads read on a virtual thread. At most
 * {@link #HIGH_WATER} buffers wait in memory: the stream is paused above it and resumed (on its
 * context) once the reader has taken them, so an upload is never held whole.
 */
public final class BodyInputStream extends InputStream {

  public static final int HIGH_WATER = 32;
  private static final Object END = new Object();

  private final ReadStream<Buffer> stream;
  private final Context context;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private boolean paused; // touched only on the context
  private Buffer current;
  private int position;
  private boolean ended;

  /** Call on the stream's context. */
  public BodyInputStream(ReadStream<Buffer> stream, Context context) {
    this.stream = stream;
    this.context = context;
    stream.handler(buffer -> {
      queue.add(buffer);
      if (queued.incrementAndGet() >= HIGH_WATER && !paused) {
        paused = true;
        stream.pause();
      }
    });
    stream.endHandler(done -> queue.add(END));
    stream.exceptionHandler(queue::add);
    stream.resume();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (current == null || position == current.length()) {
      if (ended) {
        return -1;
      }
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted reading the request body");
      }
      if (next == END) {
        ended = true;
        return -1;
      }
      if (next instanceof Throwable failure) {
        throw new IOException("the request body failed: " + failure.getMessage(), failure);
      }
      current = (Buffer) next;
      position = 0;
      if (queued.decrementAndGet() < HIGH_WATER / 2) {
        context.runOnContext(resume -> {
          if (paused) {
            paused = false;
            stream.resume();
          }
        });
      }
    }
    int n = Math.min(length, current.length() - position);
    current.getBytes(position, position + n, into, offset);
    position += n;
    return n;
  }
}
