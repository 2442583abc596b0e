package org.powerverse.appliance.internal.provider;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.powerverse.cdn.CdnStats;
import org.powerverse.geo.Capacity;
import org.powerverse.geo.Offer;
import org.powerverse.hypervisor.GpuCatalog;
import org.powerverse.hypervisor.HostInventory;
import org.powerverse.hypervisor.HostService;

/**
 * What this node offers the market now, put together from the host inventory, the CDN cache and
 * the score, for edge-geo's announcements. {@link #refresh()} does the (blocking) work and is run
 * off the event loop on a timer; {@link #get()} returns the last result and never blocks, as
 * edge-geo requires.
 */
public final class OfferSource implements Supplier<Offer> {

  private final Supplier<Optional<HostService>> host;
  private final Supplier<Optional<CdnStats>> cache;
  private final ScoreCalculator score;
  private final GpuCatalog catalog;
  private final Clock clock;
  private volatile Offer current = Offer.NONE;

  /**
   * @param host the host service once the hypervisor subsystem runs, else empty
   * @param cache the cache's stats once the CDN runs, else empty (no cache offered)
   */
  public OfferSource(Supplier<Optional<HostService>> host, Supplier<Optional<CdnStats>> cache, ScoreCalculator score,
      GpuCatalog catalog, Clock clock) {
    this.host = host;
    this.cache = cache;
    this.score = score;
    this.catalog = catalog;
    this.clock = clock;
  }

  @Override
  public Offer get() {
    return current;
  }

  /** Recomputes the offer; blocking (reads the inventory). Keeps the previous one if the host is not up yet. */
  public Offer refresh() {
    Optional<HostService> service = host.get();
    if (service.isEmpty()) {
      return current;
    }
    HostInventory inventory = service.get().inventory();
    long cacheBytes = cache.get().map(s -> Math.max(0, s.maxBytes() - s.pinnedBytes())).orElse(0L);
    HostScore hostScore = score.score(inventory, service.get().latestBenchmark(), clock.instant());
    current = new Offer(capacity(inventory, cacheBytes), Math.round(Math.max(0, hostScore.score())));
    return current;
  }

  /**
   * Until VMs lease resources, everything the host has is free: all logical CPUs, the memory the
   * kernel reports available, and the GPUs that can be passed through (a GPU that is not
   * passthrough-ready cannot be rented, so it is not offered).
   */
  Capacity capacity(HostInventory inventory, long cacheBytes) {
    Map<String, Integer> gpus = new TreeMap<>();
    for (HostInventory.Gpu gpu : inventory.gpus()) {
      if (gpu.passthrough() == null || !gpu.passthrough().ready()) {
        continue;
      }
      String model = modelName(gpu);
      if (model != null) {
        gpus.merge(model, 1, Integer::sum);
      }
    }
    gpus.replaceAll((model, count) -> Math.min(count, Capacity.MAX_GPUS_PER_MODEL));
    while (gpus.size() > Capacity.MAX_GPU_MODELS) {
      gpus.remove(((TreeMap<String, Integer>) gpus).lastKey());
    }
    return new Capacity(inventory.cpu().threads(), inventory.memory().availableBytes(), gpus, cacheBytes);
  }

  /** The catalog's name for known models, else the PCI database's, cleaned to what announcements allow. */
  private String modelName(HostInventory.Gpu gpu) {
    String name = catalog.find(gpu.vendorId() + ":" + gpu.deviceId()).map(GpuCatalog.Model::name)
        .orElse(gpu.deviceName() != null ? gpu.deviceName() : gpu.vendorId() + ":" + gpu.deviceId());
    String cleaned = name.replaceAll("[^A-Za-z0-9 ._+()/-]", " ").replaceAll(" +", " ").strip();
    if (cleaned.length() > 64) {
      cleaned = cleaned.substring(0, 64).strip();
    }
    return Capacity.GPU_MODEL.matcher(cleaned).matches() ? cleaned : null;
  }
}
