package org.powerverse.geo;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.powerverse.platform.Check;

/**
 * What a node can take on now: free vCPUs, free memory, free GPUs by model, and cache space. Part
 * of the signed announcement; the index filters on it.
 *
 * @param freeVcpus vCPUs not yet leased
 * @param freeMemoryBytes memory not yet leased
 * @param gpus free GPUs by model name ({@code "NVIDIA H100 80GB HBM3" -> 2}), sorted by name
 * @param cacheBytes CDN cache space offered
 */
public record Capacity(int freeVcpus, long freeMemoryBytes, Map<String, Integer> gpus, long cacheBytes) {

  public static final int MAX_GPU_MODELS = 16;
  public static final int MAX_GPUS_PER_MODEL = 64;
  /** Printable ASCII model names, as lspci/nvidia-smi print them, without quotes or backslashes. */
  public static final Pattern GPU_MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._+()/-]{0,63}");

  public static final Capacity NONE = new Capacity(0, 0, Map.of(), 0);

  public Capacity {
    Check.range("freeVcpus", freeVcpus, 0, 1_000_000);
    Check.range("freeMemoryBytes", freeMemoryBytes, 0L, Announcement.MAX_SAFE_INTEGER);
    Check.range("cacheBytes", cacheBytes, 0L, Announcement.MAX_SAFE_INTEGER);
    Objects.requireNonNull(gpus, "gpus");
    Check.maxSize("gpus", gpus.keySet(), MAX_GPU_MODELS);
    TreeMap<String, Integer> sorted = new TreeMap<>();
    gpus.forEach((model, count) -> {
      Check.that(model != null && GPU_MODEL.matcher(model).matches(), "gpus",
          "a GPU model must match " + GPU_MODEL.pattern() + ", got \"" + model + "\"");
      Check.that(count != null && count >= 1 && count <= MAX_GPUS_PER_MODEL, "gpus." + model,
          "must be between 1 and " + MAX_GPUS_PER_MODEL + ", got " + count);
      sorted.put(model, count);
    });
    // Most nodes have no GPU: share one empty map rather than keep an empty tree per node.
    gpus = sorted.isEmpty() ? java.util.Collections.emptySortedMap() : java.util.Collections.unmodifiableSortedMap(sorted);
  }

  /** Whether this node has at least one free GPU of {@code model} (exact name). */
  public boolean hasGpu(String model) {
    return gpus.containsKey(model);
  }
}
