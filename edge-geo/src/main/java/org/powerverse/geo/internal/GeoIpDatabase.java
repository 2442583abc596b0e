package org.powerverse.geo.internal;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.City;
import com.maxmind.geoip2.record.Country;
import com.maxmind.geoip2.record.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A MaxMind GeoIP2/GeoLite2 City or Country database (.mmdb) opened read-only. Uses the record's
 * {@code country} and {@code location}, never {@code registered_country} (the country of the
 * network's registrant, not of the address). Closed exactly once.
 */
public final class GeoIpDatabase implements AutoCloseable {

  /** One lookup's answer; {@code city}, {@code latitude}, {@code longitude} may be absent. */
  public record Hit(String country, String city, Double latitude, Double longitude, Integer accuracyRadiusKm) {
    public boolean hasCoordinates() {
      return latitude != null && longitude != null;
    }
  }

  private final Path file;
  private final DatabaseReader reader;
  private final boolean city;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private GeoIpDatabase(Path file, DatabaseReader reader, boolean city) {
    this.file = file;
    this.reader = reader;
    this.city = city;
  }

  /**
   * Opens {@code file}; fails with a message naming the file when it is missing, not an .mmdb, or a
   * database without locations (ASN, ISP).
   */
  public static GeoIpDatabase open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no GeoIP database at " + file);
    }
    DatabaseReader reader;
    try {
      reader = new DatabaseReader.Builder(file.toFile()).locales(List.of("en")).build();
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + " is not a MaxMind DB file: " + e.getMessage(), e);
    }
    String type = reader.metadata().databaseType();
    boolean city = type.contains("City");
    if (!city && !type.contains("Country")) {
      reader.close();
      throw new IOException(file + " is a " + type + " database, which has no locations; use a GeoIP2 or GeoLite2 City (or Country) database");
    }
    return new GeoIpDatabase(file, reader, city);
  }

  public Path file() {
    return file;
  }

  /** The record for {@code address}; empty when the database has none. */
  public Optional<Hit> lookup(InetAddress address) {
    try {
      if (city) {
        Optional<CityResponse> found = reader.tryCity(address);
        return found.map(r -> hit(r.country(), r.city(), r.location()));
      }
      Optional<CountryResponse> found = reader.tryCountry(address);
      return found.map(r -> hit(r.country(), null, null));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (GeoIp2Exception e) {
      throw new IllegalStateException("lookup of " + address.getHostAddress() + " in " + file + " failed: " + e.getMessage(), e);
    }
  }

  private static Hit hit(Country country, City city, Location location) {
    String iso = country == null ? null : country.isoCode();
    String cityName = city == null ? null : city.name();
    Double latitude = location == null ? null : location.latitude();
    Double longitude = location == null ? null : location.longitude();
    Integer radius = location == null ? null : location.accuracyRadius();
    return new Hit(iso, cityName, latitude, longitude, radius);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
