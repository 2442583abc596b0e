package org.powerverse.cdn.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Random;
import org.powerverse.cdn.Cid;

/**
 * The process {@link BlockstoreCrashTest} kills: writes random blocks (1 KiB to 1 MiB) into a
 * small store, so evictions run too, and prints the count after each committed write, until killed.
 */
public final class BlockstoreCrashChild {

  private BlockstoreCrashChild() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    Random random = new Random(Long.parseLong(args[1]));
    LmdbBlockstore store = LmdbBlockstore.open(dir, 8L << 20, Clock.systemUTC());
    for (long written = 1; ; written++) {
      byte[] data = new byte[1024 + random.nextInt(1 << 20)];
      random.nextBytes(data);
      store.put(Cid.rawSha256(data), ByteBuffer.wrap(data));
      System.out.println(written);
      System.out.flush();
    }
  }
}
