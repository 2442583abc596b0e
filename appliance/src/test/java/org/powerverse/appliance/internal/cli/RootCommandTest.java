package org.powerverse.appliance.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RootCommandTest {

  @Test
  void runningOneSubcommandBuildsOnlyThatOne() {
    assertEquals(Set.of("cid"), RootCommand.commandLine("cid", "FILE").getSubcommands().keySet());
    assertEquals(Set.of("run"), RootCommand.commandLine("run", "--api-port", "0").getSubcommands().keySet());
  }

  @Test
  void helpUsageAndUnknownCommandsSeeEverySubcommand() {
    List<String> all = List.of("run", "host", "config", "ctl", "fleet", "bundle", "pxe-script", "train-startup", "cid", "car", "chain", "geo", "help");
    assertEquals(all, List.copyOf(RootCommand.commandLine().getSubcommands().keySet()));
    assertEquals(all, List.copyOf(RootCommand.commandLine("help", "geo").getSubcommands().keySet()));
    CommandLine line = RootCommand.commandLine("rnu");
    StringWriter err = new StringWriter();
    line.setErr(new PrintWriter(err));
    assertEquals(RootCommand.USAGE, line.execute("rnu"));
    assertTrue(err.toString().contains("Unmatched argument at index 0: 'rnu'"), err.toString());
    assertTrue(err.toString().contains("geo"), "usage lists every command: " + err);
  }
}
