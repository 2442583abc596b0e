package org.powerverse.geo;

import org.powerverse.platform.Subsystem;

/** The {@code geo} subsystem, which also is the node's {@link GeoService}. */
public interface GeoSubsystem extends Subsystem, GeoService {}
