package org.powerverse.platform;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A table of an {@link Lmdb} environment with string keys and JSON values of one record type. */
public final class Table<T> {

  private final Lmdb lmdb;
  private final String name;
  private final Class<T> type;

  Table(Lmdb lmdb, String name, Class<T> type) {
    this.lmdb = lmdb;
    this.name = name;
    this.type = type;
  }

  public Optional<T> get(String key) {
    return lmdb.read(txn -> get(txn, key));
  }

  public Optional<T> get(Lmdb.Txn txn, String key) {
    return txn.get(name, Lmdb.utf8(key)).map(bytes -> Json.read(bytes, type));
  }

  public void put(String key, T value) {
    lmdb.write(txn -> {
      put(txn, key, value);
      return null;
    });
  }

  public void put(Lmdb.Txn txn, String key, T value) {
    Objects.requireNonNull(value, "value");
    txn.put(name, Lmdb.utf8(key), Json.bytes(value));
  }

  public boolean delete(String key) {
    return lmdb.write(txn -> delete(txn, key));
  }

  public boolean delete(Lmdb.Txn txn, String key) {
    return txn.delete(name, Lmdb.utf8(key));
  }

  /** Values whose keys start with {@code prefix}, in key order (or reversed), at most {@code limit}. */
  public List<T> list(String prefix, boolean newestFirst, int limit) {
    return lmdb.read(txn -> list(txn, prefix, newestFirst, limit));
  }

  public List<T> list(Lmdb.Txn txn, String prefix, boolean reverse, int limit) {
    List<T> out = new ArrayList<>();
    if (limit <= 0) {
      return out;
    }
    txn.scan(name, prefix.getBytes(StandardCharsets.UTF_8), reverse, (key, value) -> {
      out.add(Json.read(value, type));
      return out.size() < limit;
    });
    return out;
  }

  /** Keys and values whose keys start with {@code prefix}, in key order, at most {@code limit}. */
  public List<Map.Entry<String, T>> entries(String prefix, int limit) {
    List<Map.Entry<String, T>> out = new ArrayList<>();
    lmdb.read(txn -> {
      txn.scan(name, prefix.getBytes(StandardCharsets.UTF_8), false, (key, value) -> {
        out.add(Map.entry(new String(key, StandardCharsets.UTF_8), Json.read(value, type)));
        return out.size() < limit;
      });
      return null;
    });
    return out;
  }

  public long count() {
    return lmdb.read(txn -> txn.count(name));
  }
}
