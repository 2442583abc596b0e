package org.powerverse.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static Path fixture(String name) {
    return Path.of("src/test/resources/config", name);
  }

  private static ConfigException failure(String name) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(fixture(name), SampleConfig.class));
  }

  @Test
  void absentKeysTakeTheirDefaults() throws Exception {
    SampleConfig config = ConfigLoader.load(fixture("valid.yaml"), SampleConfig.class);
    assertEquals(9443, config.api().port());
    assertEquals(SampleConfig.Format.json, config.api().format());
    assertEquals(true, config.api().enabled());
    assertEquals(List.of("0000:01:00.0"), config.gpu().allowlist());
  }

  @Test
  void emptyTextGivesTheDefaults() throws Exception {
    SampleConfig config = ConfigLoader.parse("empty", "# nothing here\n", SampleConfig.class);
    assertEquals(SampleConfig.Api.DEFAULT_PORT, config.api().port());
    assertEquals(config, ConfigLoader.defaults(SampleConfig.class));
  }

  @Test
  void unknownKeyNamesItsPathAndTheKnownKeys() {
    ConfigException e = failure("unknown-key.yaml");
    assertEquals("api.prot", e.path());
    assertTrue(e.getMessage().contains("unknown key; known keys: enabled, format, port"), e.getMessage());
  }

  @Test
  void outOfRangeValueNamesItsPathAndTheRange() {
    ConfigException e = failure("bad-range.yaml");
    assertEquals("api.port", e.path());
    assertTrue(e.getMessage().endsWith("api.port: must be between 0 and 65535, got 70000"), e.getMessage());
  }

  @Test
  void wrongTypeSaysWhatWasExpected() {
    ConfigException e = failure("bad-type.yaml");
    assertEquals("api.port", e.path());
    assertTrue(e.getMessage().contains("expected an integer"), e.getMessage());
  }

  @Test
  void unknownEnumValueListsTheChoices() {
    ConfigException e = failure("bad-enum.yaml");
    assertEquals("api.format", e.path());
    assertTrue(e.getMessage().contains("expected one of auto, json, text, got \"xml\""), e.getMessage());
  }

  @Test
  void badListItemIsNamedByIndex() {
    ConfigException e = failure("bad-list-item.yaml");
    assertEquals("gpu.allowlist[2]", e.path());
    assertTrue(e.getMessage().contains("not a PCI address"), e.getMessage());
  }

  @Test
  void syntaxErrorGivesTheLine() {
    ConfigException e = failure("bad-syntax.yaml");
    assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    assertTrue(e.getMessage().matches("(?s).*line [23].*"), e.getMessage());
  }

  @Test
  void duplicateKeyIsRejected() {
    ConfigException e = failure("duplicate-key.yaml");
    assertTrue(e.getMessage().contains("port"), e.getMessage());
  }

  @Test
  void topLevelMustBeAMapping() {
    ConfigException e = failure("top-level-list.yaml");
    assertTrue(e.getMessage().contains("expected a mapping of sections at the top level, got a list"), e.getMessage());
  }

  @Test
  void missingFileIsAnError() {
    ConfigException e = failure("no-such.yaml");
    assertTrue(e.getMessage().endsWith("no such file"), e.getMessage());
  }

  @Test
  void defaultsRoundTripThroughYaml() throws Exception {
    SampleConfig defaults = ConfigLoader.defaults(SampleConfig.class);
    String yaml = ConfigLoader.toYaml(defaults);
    assertEquals(defaults, ConfigLoader.parse("roundtrip", yaml, SampleConfig.class));
  }

  @Test
  void docsListEveryLeafKeyWithItsDefault() {
    String docs = ConfigDocs.markdown(SampleConfig.class, "# Sample\n");
    assertTrue(docs.contains("| `api.port` | integer | `8443` | Port. |"), docs);
    assertTrue(docs.contains("| `api.format` | auto \\| json \\| text | `auto` | Format. |"), docs);
    assertTrue(docs.contains("| `gpu.allowlist` | list of string | `[]` | PCI addresses allowed. |"), docs);
  }
}
