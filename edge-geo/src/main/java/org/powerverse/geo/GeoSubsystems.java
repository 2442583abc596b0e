package org.powerverse.geo;

import java.util.Objects;
import java.util.function.Supplier;
import org.powerverse.geo.internal.GeoSubsystemImpl;
import org.powerverse.geo.internal.PublicAddressDetector;

/** Creates the {@code geo} subsystem for the supervisor. */
public final class GeoSubsystems {

  private GeoSubsystems() {}

  /** A node that announces no capacity (until the appliance supplies an offer). */
  public static GeoSubsystem create(GeoConfig config) {
    return create(config, () -> Offer.NONE);
  }

  /**
   * @param offer what the node offers now; polled every second from the event loop, so it must
   *     return a cached value and never block
   */
  public static GeoSubsystem create(GeoConfig config, Supplier<Offer> offer) {
    return new GeoSubsystemImpl(Objects.requireNonNull(config, "config"), Objects.requireNonNull(offer, "offer"),
        PublicAddressDetector.interfaces(), System::nanoTime);
  }
}
