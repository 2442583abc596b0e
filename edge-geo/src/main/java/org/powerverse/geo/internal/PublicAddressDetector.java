package org.powerverse.geo.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds this node's public address when the config names none: the first global unicast address
 * of an interface that is up (IPv4 before IPv6, interfaces by name). Offline by design: no STUN or
 * "what is my IP" service is asked. A node behind NAT has none, and must set geo.publicAddress.
 */
@FunctionalInterface
public interface PublicAddressDetector {

  Optional<InetAddress> detect();

  /** Reads the host's interfaces. */
  static PublicAddressDetector interfaces() {
    return () -> {
      try {
        List<NetworkInterface> all = Collections.list(NetworkInterface.getNetworkInterfaces());
        all.sort(Comparator.comparing(NetworkInterface::getName));
        Optional<InetAddress> v6 = Optional.empty();
        for (NetworkInterface nic : all) {
          if (!nic.isUp() || nic.isLoopback()) {
            continue;
          }
          for (InetAddress address : Collections.list(nic.getInetAddresses())) {
            if (!IpLiterals.isGlobalUnicast(address)) {
              continue;
            }
            if (address instanceof java.net.Inet4Address) {
              return Optional.of(address);
            }
            if (v6.isEmpty()) {
              v6 = Optional.of(address);
            }
          }
        }
        return v6;
      } catch (SocketException e) {
        return Optional.empty();
      }
    };
  }

  static PublicAddressDetector none() {
    return Optional::empty;
  }
}
