package org.powerverse.hypervisor.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers of procfs text, apart from reading it so each is tested on fixture files (STYLE.md §3). */
final class ProcParsers {

  private static final Pattern MODEL_GHZ = Pattern.compile("@\\s*([0-9]+(?:\\.[0-9]+)?)\\s*GHz");

  private ProcParsers() {}

  /** One "processor" stanza of /proc/cpuinfo. */
  record Processor(int index, String vendor, String model, Integer physicalId, Integer coreId, Set<String> flags,
      Double mhz) {}

  /** Parses /proc/cpuinfo (x86 layout: blank-line separated stanzas of "key : value"). */
  static List<Processor> cpuinfo(String text) {
    List<Processor> processors = new ArrayList<>();
    Map<String, String> stanza = new HashMap<>();
    for (String line : (text + "\n\n").split("\n", -1)) {
      if (line.isBlank()) {
        if (stanza.containsKey("processor")) {
          processors.add(processor(stanza));
        }
        stanza.clear();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        stanza.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      }
    }
    return processors;
  }

  private static Processor processor(Map<String, String> stanza) {
    Set<String> flags = new LinkedHashSet<>();
    String flagText = stanza.getOrDefault("flags", stanza.getOrDefault("Features", ""));
    for (String flag : flagText.split("\\s+")) {
      if (!flag.isEmpty()) {
        flags.add(flag);
      }
    }
    return new Processor(
        Integer.parseInt(stanza.get("processor")),
        stanza.get("vendor_id"),
        stanza.get("model name"),
        integer(stanza.get("physical id")),
        integer(stanza.get("core id")),
        flags,
        decimal(stanza.get("cpu MHz")));
  }

  /** The clock in a model name such as "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz", in MHz. */
  static OptionalDouble modelNameMhz(String model) {
    if (model == null) {
      return OptionalDouble.empty();
    }
    Matcher m = MODEL_GHZ.matcher(model);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1)) * 1000) : OptionalDouble.empty();
  }

  /** /proc/meminfo as key to bytes (kB values are multiplied out; counts such as HugePages_Total stay counts). */
  static Map<String, Long> meminfo(String text) {
    Map<String, Long> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String[] parts = line.substring(colon + 1).strip().split("\\s+");
      try {
        long value = Long.parseLong(parts[0]);
        if (parts.length > 1 && parts[1].equalsIgnoreCase("kB")) {
          value *= 1024;
        }
        values.put(line.substring(0, colon).strip(), value);
      } catch (NumberFormatException e) {
        // a line we do not use
      }
    }
    return values;
  }

  /** A CPU list such as "0-3,8,10-11" (sysfs online/possible) as its size. */
  static OptionalLong cpuListSize(String list) {
    if (list == null || list.isBlank()) {
      return OptionalLong.empty();
    }
    long count = 0;
    for (String range : list.strip().split(",")) {
      String[] ends = range.split("-");
      try {
        count += ends.length == 1 ? 1 : Long.parseLong(ends[1]) - Long.parseLong(ends[0]) + 1;
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(count);
  }

  private static Integer integer(String value) {
    try {
      return value == null ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Double decimal(String value) {
    try {
      return value == null ? null : Double.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
