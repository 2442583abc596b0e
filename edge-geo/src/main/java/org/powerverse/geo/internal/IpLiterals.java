package org.powerverse.geo.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals, parsed without ever asking DNS: {@code InetAddress.getByName} would resolve
 * a host name, and {@code InetAddress.ofLiteral} is Java 22.
 */
public final class IpLiterals {

  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private IpLiterals() {}

  /** The address {@code text} spells (dotted-quad IPv4 or RFC 4291 IPv6 text), else empty. */
  public static Optional<InetAddress> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    boolean v4 = IPV4.matcher(text).matches();
    boolean v6 = !v4 && text.indexOf(':') >= 0 && IPV6_CHARS.matcher(text).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      // Only literals reach here: getByName parses them and does no lookup.
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether an address is routable on the public internet: not loopback, link-local, private
   * (RFC 1918, RFC 4193), shared (RFC 6598), multicast or unspecified.
   */
  public static boolean isGlobalUnicast(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      boolean shared = first == 100 && second >= 64 && second <= 127;
      return !shared && first != 0 && first < 224;
    }
    if (address instanceof Inet6Address) {
      boolean uniqueLocal = (b[0] & 0xfe) == 0xfc;
      return !uniqueLocal;
    }
    return false;
  }
}
