package org.powerverse.hypervisor.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The PCI ID database (pci.ids, as shipped by Debian's pci.ids package): vendor, device and class
 * names. Format: "vvvv  Vendor", "\tdddd  Device", "\t\tsvsv sdsd  Subsystem", "C cc  Class",
 * "\tss  Subclass".
 */
final class PciIds {

  static final PciIds EMPTY = new PciIds(Map.of(), Map.of(), Map.of());

  private final Map<String, String> vendors;
  private final Map<String, String> devices;
  private final Map<String, String> classes;

  private PciIds(Map<String, String> vendors, Map<String, String> devices, Map<String, String> classes) {
    this.vendors = vendors;
    this.devices = devices;
    this.classes = classes;
  }

  /** Loads the database; a missing file gives {@link #EMPTY} (names are then left out). */
  static PciIds load(Path file) {
    if (!Files.isReadable(file)) {
      return EMPTY;
    }
    Map<String, String> vendors = new HashMap<>();
    Map<String, String> devices = new HashMap<>();
    Map<String, String> classes = new HashMap<>();
    String vendor = null;
    String pciClass = null;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("C ")) {
          pciClass = line.substring(2, 4).toLowerCase();
          vendor = null;
          classes.put(pciClass, line.substring(4).strip());
        } else if (line.startsWith("\t\t")) {
          continue; // subsystems and prog-ifs: not used
        } else if (line.startsWith("\t")) {
          String entry = line.substring(1);
          if (vendor != null && entry.length() > 4) {
            devices.put(vendor + ":" + entry.substring(0, 4).toLowerCase(), entry.substring(4).strip());
          } else if (pciClass != null && entry.length() > 2) {
            classes.put(pciClass + entry.substring(0, 2).toLowerCase(), entry.substring(2).strip());
          }
        } else if (line.length() > 4 && isHex(line.substring(0, 4))) {
          vendor = line.substring(0, 4).toLowerCase();
          pciClass = null;
          vendors.put(vendor, line.substring(4).strip());
        }
      }
    } catch (IOException e) {
      return EMPTY;
    }
    return new PciIds(Map.copyOf(vendors), Map.copyOf(devices), Map.copyOf(classes));
  }

  Optional<String> vendor(String vendorId) {
    return Optional.ofNullable(vendors.get(vendorId));
  }

  Optional<String> device(String vendorId, String deviceId) {
    return Optional.ofNullable(devices.get(vendorId + ":" + deviceId));
  }

  /** The name of a class code such as "0403" (subclass), falling back to its base class "04". */
  Optional<String> className(String classCode) {
    String name = classes.get(classCode);
    return Optional.ofNullable(name != null ? name : classes.get(classCode.substring(0, 2)));
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.digit(text.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
