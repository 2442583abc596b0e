package org.powerverse.geo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.powerverse.geo.internal.GeoIpDatabase;
import org.powerverse.geo.internal.H3Cells;
import org.powerverse.geo.internal.IpLiterals;
import org.powerverse.platform.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code powerverse geo}: look up where an IP address is (GeoIP) and which H3 cell a point is in.
 * Prints to the command line's out/err and returns exit codes: 0 done, 1 lookup failed (not in the
 * database, unreadable database), 2 bad arguments.
 */
@Command(name = "geo", mixinStandardHelpOptions = true,
    description = "Node location: GeoIP lookups and H3 cells.",
    subcommands = {GeoCommand.Locate.class, GeoCommand.Cell.class})
public final class GeoCommand implements Callable<Integer> {

  public static final int EXIT_OK = 0;
  public static final int EXIT_LOOKUP_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  @Spec
  CommandSpec spec;

  private final int defaultResolution;

  /** With the default resolution ({@link GeoConfig#DEFAULT_RESOLUTION}). */
  public GeoCommand() {
    this(GeoConfig.DEFAULT_RESOLUTION);
  }

  /** With the configured {@code geo.resolution} as the default of {@code --resolution}. */
  public GeoCommand(int defaultResolution) {
    H3Cells.checkResolution(defaultResolution);
    this.defaultResolution = defaultResolution;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE;
  }

  int resolutionOr(Integer given) {
    return given == null ? defaultResolution : given;
  }

  /** {@code geo locate --mmdb FILE IP [--resolution R]}. */
  @Command(name = "locate", mixinStandardHelpOptions = true,
      description = "Looks an IP address up in a GeoIP2/GeoLite2 database and prints "
          + "{\"ip\",\"country\",\"city\",\"latitude\",\"longitude\",\"h3Cell\",\"resolution\"} as JSON.")
  static final class Locate implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    GeoCommand parent;

    @Option(names = "--mmdb", required = true, paramLabel = "FILE", description = "MaxMind City or Country database (.mmdb).")
    Path mmdb;

    @Option(names = "--resolution", paramLabel = "R", description = "H3 resolution 0-15 (default: the configured geo.resolution).")
    Integer resolution;

    @Parameters(index = "0", paramLabel = "IP", description = "IPv4 or IPv6 address.")
    String ip;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int r = parent.resolutionOr(resolution);
      if (r < 0 || r > 15) {
        err.println("geo locate: --resolution must be between 0 and 15, got " + r);
        return EXIT_USAGE;
      }
      Optional<InetAddress> address = IpLiterals.parse(ip);
      if (address.isEmpty()) {
        err.println("geo locate: not an IP address: \"" + ip + "\"");
        return EXIT_USAGE;
      }
      try (GeoIpDatabase database = GeoIpDatabase.open(mmdb)) {
        Optional<GeoIpDatabase.Hit> found = database.lookup(address.get());
        if (found.isEmpty()) {
          err.println("geo locate: " + ip + " is not in the database " + mmdb);
          return EXIT_LOOKUP_FAILED;
        }
        GeoIpDatabase.Hit hit = found.get();
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("ip", ip);
        json.put("country", hit.country());
        json.put("city", hit.city());
        json.put("latitude", hit.latitude());
        json.put("longitude", hit.longitude());
        if (hit.hasCoordinates()) {
          json.put("h3Cell", H3Cells.cell(hit.latitude(), hit.longitude(), r));
        } else {
          json.putNull("h3Cell");
        }
        json.put("resolution", r);
        out.println(json);
        out.flush();
        return EXIT_OK;
      } catch (IOException e) {
        err.println("geo locate: " + e.getMessage());
        return EXIT_LOOKUP_FAILED;
      }
    }
  }

  /** {@code geo cell --lat X --lon Y [--resolution R]}. */
  @Command(name = "cell", mixinStandardHelpOptions = true, description = "Prints the H3 cell containing a point.")
  static final class Cell implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    GeoCommand parent;

    @Option(names = "--lat", required = true, paramLabel = "X", description = "Latitude in degrees, -90 to 90.")
    double latitude;

    @Option(names = "--lon", required = true, paramLabel = "Y", description = "Longitude in degrees, -180 to 180.")
    double longitude;

    @Option(names = "--resolution", paramLabel = "R", description = "H3 resolution 0-15 (default: the configured geo.resolution).")
    Integer resolution;

    @Override
    public Integer call() {
      try {
        String cell = H3Cells.cell(latitude, longitude, parent.resolutionOr(resolution));
        spec.commandLine().getOut().println(cell);
        spec.commandLine().getOut().flush();
        return EXIT_OK;
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("geo cell: " + e.getMessage());
        return EXIT_USAGE;
      }
    }
  }
}
