package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.hypervisor.HostInventory;
import org.powerverse.hypervisor.HostPaths;

/** The exact sysfs writes of GPU claims over fixture trees of real machines (src/test/fixtures/vfio). */
class VfioBinderTest {
  private static final Path FIXTURES = Path.of("src/test/fixtures");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

  private static HostInventory inventory(Path machine) {
    return new HostInventoryReader(HostPaths.under(machine), FIXTURES.resolve("pci.ids"), CLOCK).read();
  }

  private static List<String> expected(String file) throws IOException {
    return Files.readAllLines(FIXTURES.resolve("vfio").resolve(file)).stream()
        .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
  }

  /** Records writes as "relative-path value" lines, with a newline shown as \n. */
  private static VfioBinder.Writer recorder(Path sys, List<String> writes) {
    return (attribute, value) -> writes.add(sys.relativize(attribute) + " " + value.replace("\n", "\\n"));
  }

  @Test
  void bindWritesOverrideUnbindAndProbeForTheGpuAndEachCompanionInOrder() throws Exception {
    Path machine = FIXTURES.resolve("sysfs/gpu-multifunction");
    Path sys = machine.resolve("sys");
    List<String> writes = new ArrayList<>();
    new VfioBinder(sys, () -> inventory(machine), recorder(sys, writes)).bind("0000:01:00.0");
    assertEquals(expected("gpu-multifunction-bind-0000:01:00.0.txt"), writes);
  }

  @Test
  void releaseClearsOverrideUnbindsFromVfioAndProbesForTheHostDriver(@TempDir Path tmp) throws Exception {
    Path machine = copyTree(FIXTURES.resolve("sysfs/workstation-dual-gpu"), tmp.resolve("machine"));
    Path sys = machine.resolve("sys");
    // As after a bind: both functions are held by vfio-pci.
    for (String function : List.of("0000:0b:00.0", "0000:0b:00.1")) {
      Path driver = sys.resolve("bus/pci/devices").resolve(function).resolve("driver");
      Files.delete(driver);
      Files.createSymbolicLink(driver, Path.of("../../../../bus/pci/drivers/vfio-pci"));
    }
    List<String> writes = new ArrayList<>();
    new VfioBinder(sys, () -> inventory(machine), recorder(sys, writes)).release("0000:0b:00.0");
    assertEquals(expected("workstation-dual-gpu-release-0000:0b:00.0.txt"), writes);
  }

  @Test
  void bindSkipsFunctionsAlreadyOnVfio(@TempDir Path tmp) throws Exception {
    Path machine = copyTree(FIXTURES.resolve("sysfs/workstation-dual-gpu"), tmp.resolve("machine"));
    Path sys = machine.resolve("sys");
    Path driver = sys.resolve("bus/pci/devices/0000:0b:00.0/driver");
    Files.delete(driver);
    Files.createSymbolicLink(driver, Path.of("../../../../bus/pci/drivers/vfio-pci"));
    List<String> writes = new ArrayList<>();
    new VfioBinder(sys, () -> inventory(machine), recorder(sys, writes)).bind("0000:0b:00.0");
    assertEquals(List.of("bus/pci/devices/0000:0b:00.1/driver_override vfio-pci",
        "bus/pci/drivers/snd_hda_intel/unbind 0000:0b:00.1", "bus/pci/drivers_probe 0000:0b:00.1"), writes);
  }

  @Test
  void refusesAGpuWhoseGroupIsNotViableAndWritesNothing() {
    Path machine = FIXTURES.resolve("sysfs/server-shared-group");
    Path sys = machine.resolve("sys");
    List<String> writes = new ArrayList<>();
    IOException refused = assertThrows(IOException.class,
        () -> new VfioBinder(sys, () -> inventory(machine), recorder(sys, writes)).bind("0000:43:00.0"));
    assertTrue(refused.getMessage().contains("0000:44:00.0"), refused.getMessage());
    assertEquals(List.of(), writes);
  }

  private static Path copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isSymbolicLink(path)) {
          Files.createSymbolicLink(target, Files.readSymbolicLink(path));
        } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }
}
