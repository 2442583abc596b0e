package org.powerverse.hypervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What sysfs cannot tell about common GPU models: video memory and FP32 throughput, from the
 * vendors' spec sheets (resource gpu-models.tsv). The score's config may add or correct models.
 */
public final class GpuCatalog {

  /** @param fp32Tflops peak single-precision throughput, as the vendor states it */
  public record Model(String pciId, String name, long memoryMiB, double fp32Tflops) {}

  private static final GpuCatalog BUILT_IN = load();

  private final Map<String, Model> models;

  private GpuCatalog(Map<String, Model> models) {
    this.models = models;
  }

  public static GpuCatalog builtIn() {
    return BUILT_IN;
  }

  /** A model by "vendor:device" in lower-case hex ("10de:2204"). */
  public Optional<Model> find(String pciId) {
    return Optional.ofNullable(models.get(pciId));
  }

  private static GpuCatalog load() {
    Map<String, Model> models = new HashMap<>();
    try (InputStream in = GpuCatalog.class.getResourceAsStream("/org/powerverse/hypervisor/gpu-models.tsv");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length != 4) {
          throw new IllegalStateException("gpu-models.tsv: expected 4 tab-separated fields: " + line);
        }
        models.put(f[0], new Model(f[0], f[1], Long.parseLong(f[2]), Double.parseDouble(f[3])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new GpuCatalog(Map.copyOf(models));
  }
}
