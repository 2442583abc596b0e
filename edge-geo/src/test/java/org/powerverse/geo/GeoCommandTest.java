package org.powerverse.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.powerverse.platform.Json;
import picocli.CommandLine;

class GeoCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(GeoCommand command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run run(String... args) {
    return run(new GeoCommand(), args);
  }

  private static JsonNode expected(String name) throws Exception {
    return Json.MAPPER.readTree(Files.readString(Path.of("src/test/resources/cli", name)));
  }

  private static String city() {
    return TestData.maxmind("GeoIP2-City-Test.mmdb").toString();
  }

  @Test
  void locatePrintsCountryCityCoordinatesAndCell() throws Exception {
    Run run = run("locate", "--mmdb", city(), "81.2.69.160");
    assertEquals(0, run.exit(), run.err());
    assertEquals(expected("locate-london-r7.json"), Json.MAPPER.readTree(run.out()));
  }

  @Test
  void locateUsesTheGivenResolution() throws Exception {
    Run run = run("locate", "--mmdb", city(), "--resolution", "3", "81.2.69.160");
    assertEquals(0, run.exit(), run.err());
    assertEquals(expected("locate-london-r3.json"), Json.MAPPER.readTree(run.out()));
  }

  @Test
  void locateDefaultsToTheConfiguredResolution() throws Exception {
    Run run = run(new GeoCommand(3), "locate", "--mmdb", city(), "81.2.69.160");
    assertEquals(0, run.exit(), run.err());
    assertEquals(expected("locate-london-r3.json"), Json.MAPPER.readTree(run.out()));
  }

  @Test
  void locateFindsIpv6AndNonAsciiCities() throws Exception {
    Run sanDiego = run("locate", "--mmdb", city(), "2001:480:10::1");
    assertEquals(0, sanDiego.exit(), sanDiego.err());
    assertEquals(expected("locate-san-diego-r7.json"), Json.MAPPER.readTree(sanDiego.out()));
    Run linkoping = run("locate", "--mmdb", TestData.maxmind("GeoLite2-City-Test.mmdb").toString(), "89.160.20.112");
    assertEquals(0, linkoping.exit(), linkoping.err());
    JsonNode json = Json.MAPPER.readTree(linkoping.out());
    assertEquals("Linköping", json.get("city").asText());
    assertEquals("SE", json.get("country").asText());
  }

  @Test
  void countryLevelRecordHasNoCityCoordinatesOrCell() throws Exception {
    Run run = run("locate", "--mmdb", TestData.maxmind("GeoIP2-Country-Test.mmdb").toString(), "81.2.69.160");
    assertEquals(0, run.exit(), run.err());
    assertEquals(expected("locate-country-only.json"), Json.MAPPER.readTree(run.out()));
  }

  @Test
  void notAnIpAddressExitsWithUsageError() {
    Run run = run("locate", "--mmdb", city(), "example.org");
    assertEquals(GeoCommand.EXIT_USAGE, run.exit());
    assertTrue(run.err().contains("not an IP address: \"example.org\""), run.err());
    assertEquals("", run.out());
    Run shortQuad = run("locate", "--mmdb", city(), "1.2.3");
    assertEquals(GeoCommand.EXIT_USAGE, shortQuad.exit());
  }

  @Test
  void addressNotInTheDatabaseExitsNonZero() {
    for (String ip : new String[] {"8.8.8.8", "127.0.0.1", "::1"}) {
      Run run = run("locate", "--mmdb", city(), ip);
      assertEquals(GeoCommand.EXIT_LOOKUP_FAILED, run.exit(), ip);
      assertTrue(run.err().contains(ip + " is not in the database"), run.err());
    }
  }

  @Test
  void databaseWithoutLocationsIsRefused() {
    Run run = run("locate", "--mmdb", TestData.maxmind("GeoLite2-ASN-Test.mmdb").toString(), "1.128.0.1");
    assertEquals(GeoCommand.EXIT_LOOKUP_FAILED, run.exit());
    assertTrue(run.err().contains("GeoLite2-ASN database, which has no locations"), run.err());
  }

  @Test
  void missingDatabaseFileIsNamed() {
    Run run = run("locate", "--mmdb", "/nonexistent/x.mmdb", "81.2.69.160");
    assertEquals(GeoCommand.EXIT_LOOKUP_FAILED, run.exit());
    assertTrue(run.err().contains("no GeoIP database at /nonexistent/x.mmdb"), run.err());
  }

  // Reference value from the h3-js README: latLngToCell(37.3615593, -122.0553238, 7).
  @Test
  void cellPrintsTheH3CellOfAPoint() {
    Run run = run("cell", "--lat", "37.3615593", "--lon", "-122.0553238", "--resolution", "7");
    assertEquals(0, run.exit(), run.err());
    assertEquals("87283472bffffff", run.out().strip());
  }

  @Test
  void cellRejectsOutOfRangeCoordinatesAndResolutions() {
    Run lat = run("cell", "--lat", "91", "--lon", "0", "--resolution", "7");
    assertEquals(GeoCommand.EXIT_USAGE, lat.exit());
    assertTrue(lat.err().contains("latitude must be between -90 and 90, got 91.0"), lat.err());
    Run res = run("cell", "--lat", "0", "--lon", "0", "--resolution", "16");
    assertEquals(GeoCommand.EXIT_USAGE, res.exit());
    assertTrue(res.err().contains("resolution is between 0 and 15, got 16"), res.err());
  }
}
