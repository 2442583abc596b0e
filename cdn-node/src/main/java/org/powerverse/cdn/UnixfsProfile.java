package org.powerverse.cdn;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The UnixFS CID profiles of IPIP-0499: the parameters that make the same file yield the same
 * CID across implementations. Both use fixed-size chunks, sha2-256 and the {@code balanced} DAG
 * layout of boxo/helia.
 */
public enum UnixfsProfile {
  /** CIDv1, raw leaves, 1 MiB chunks, 1024 links per node (IPIP-0499 "modern profile"). */
  UNIXFS_V1_2025("unixfs-v1-2025", 1, true, 1024 * 1024, 1024),
  /** CIDv0, dag-pb leaves, 256 KiB chunks, 174 links per node (Kubo's defaults until 0.39). */
  UNIXFS_V0_2015("unixfs-v0-2015", 0, false, 256 * 1024, 174);

  public static final UnixfsProfile DEFAULT = UNIXFS_V1_2025;

  private final String profileName;
  private final int cidVersion;
  private final boolean rawLeaves;
  private final int chunkSize;
  private final int maxLinks;

  UnixfsProfile(String profileName, int cidVersion, boolean rawLeaves, int chunkSize, int maxLinks) {
    this.profileName = profileName;
    this.cidVersion = cidVersion;
    this.rawLeaves = rawLeaves;
    this.chunkSize = chunkSize;
    this.maxLinks = maxLinks;
  }

  /** The IPIP-0499 name ({@code unixfs-v1-2025}). */
  public String profileName() {
    return profileName;
  }

  public int cidVersion() {
    return cidVersion;
  }

  /** Whether leaves are raw blocks (codec raw) rather than dag-pb UnixFS file nodes. */
  public boolean rawLeaves() {
    return rawLeaves;
  }

  /** Bytes per leaf; the last leaf may be shorter. */
  public int chunkSize() {
    return chunkSize;
  }

  /** The most children of one file node (the DAG width). */
  public int maxLinks() {
    return maxLinks;
  }

  /** The profile with this IPIP-0499 name. */
  public static UnixfsProfile byName(String name) {
    for (UnixfsProfile profile : values()) {
      if (profile.profileName.equals(name)) {
        return profile;
      }
    }
    throw new IllegalArgumentException("unknown UnixFS profile \"" + name + "\"; known: "
        + Arrays.stream(values()).map(UnixfsProfile::profileName).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return profileName;
  }
}
