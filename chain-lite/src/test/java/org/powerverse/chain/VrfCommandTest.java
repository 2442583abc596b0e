package org.powerverse.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.powerverse.platform.Json;
import picocli.CommandLine;

class VrfCommandTest {

  record Run(int exitCode, String out, String err) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ChainCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  final TestVectors.Record vector = TestVectors.read("/vrf/rfc9381-b3-edwards25519-sha512-tai.txt").get(2);

  @Test
  void provePrintsPublicKeyProofAndOutput() {
    Run run = run("vrf", "prove", "--secret-key", vector.text("SK"), "--alpha", vector.text("alpha"));
    assertEquals(0, run.exitCode(), run.err());
    JsonNode json = run.json();
    assertEquals(vector.text("PK"), json.get("publicKey").asText());
    assertEquals(vector.text("pi"), json.get("proof").asText());
    assertEquals(vector.text("beta"), json.get("output").asText());
  }

  @Test
  void proveAcceptsEmptyAlphaAndHexPrefix() {
    TestVectors.Record empty = TestVectors.read("/vrf/rfc9381-b3-edwards25519-sha512-tai.txt").get(0);
    Run run = run("vrf", "prove", "--secret-key", "0x" + empty.text("SK"), "--alpha", "");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(empty.text("pi"), run.json().get("proof").asText());
  }

  @Test
  void verifyPrintsOutputOfValidProof() {
    Run run = run("vrf", "verify", "--public-key", vector.text("PK"), "--alpha",
        vector.text("alpha"), "--proof", vector.text("pi"));
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.json().get("valid").asBoolean());
    assertEquals(vector.text("beta"), run.json().get("output").asText());
  }

  @Test
  void verifyExitsOneWithNullOutputForInvalidProof() {
    Run run = run("vrf", "verify", "--public-key", vector.text("PK"), "--alpha", "00",
        "--proof", vector.text("pi"));
    assertEquals(1, run.exitCode());
    JsonNode json = run.json();
    assertEquals(false, json.get("valid").asBoolean());
    assertTrue(json.has("output") && json.get("output").isNull(), run.out());
  }

  @Test
  void verifyCallsATruncatedProofInvalid() {
    Run run = run("vrf", "verify", "--public-key", vector.text("PK"), "--alpha",
        vector.text("alpha"), "--proof", vector.text("pi").substring(2));
    assertEquals(1, run.exitCode());
    assertEquals(false, run.json().get("valid").asBoolean());
  }

  @Test
  void rejectsMalformedHexWithUsageError() {
    Run run = run("vrf", "prove", "--secret-key", "zz", "--alpha", "");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--secret-key: not hex"), run.err());
    Run shortKey = run("vrf", "prove", "--secret-key", "0011", "--alpha", "");
    assertEquals(2, shortKey.exitCode());
    assertTrue(shortKey.err().contains("expected 32 bytes"), shortKey.err());
  }
}
