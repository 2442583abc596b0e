package org.powerverse.geo.internal;

/** A set of longs by open addressing, for one query's visited cells: no boxing, no per-entry objects. */
final class LongSet {

  private static final long EMPTY = 0; // never an H3 index: mode bits are non-zero in every cell
  private long[] table;
  private int size;

  LongSet(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
    table = new long[capacity];
  }

  /** Adds {@code value}; returns whether it was absent. */
  boolean add(long value) {
    if (value == EMPTY) {
      throw new IllegalArgumentException("0 is not an H3 cell");
    }
    if ((size + 1) * 2 > table.length) {
      grow();
    }
    int mask = table.length - 1;
    int i = mix(value) & mask;
    while (table[i] != EMPTY) {
      if (table[i] == value) {
        return false;
      }
      i = (i + 1) & mask;
    }
    table[i] = value;
    size++;
    return true;
  }

  boolean contains(long value) {
    int mask = table.length - 1;
    int i = mix(value) & mask;
    while (table[i] != EMPTY) {
      if (table[i] == value) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    size = 0;
    for (long value : old) {
      if (value != EMPTY) {
        add(value);
      }
    }
  }

  private static int mix(long value) {
    long h = value * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
