package org.powerverse.hypervisor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.powerverse.hypervisor.HostInventory;

/**
 * Binds a GPU and its companion functions (HDMI audio, USB-C, UCSI on the same slot) to vfio-pci
 * and back, through sysfs (kernel Documentation/ABI/testing/sysfs-bus-pci, "driver_override"):
 * per function, {@code driver_override} first (so no other driver grabs it), then unbind from the
 * current driver, then {@code drivers_probe}. Release clears the override, unbinds from vfio-pci and
 * probes again, which rebinds the host driver. Bridges in the group stay with pcieport (VFIO does
 * not need them bound). The sysfs root is configurable so tests run over fixture trees.
 */
final class VfioBinder implements GpuBinder {

  static final String VFIO = "vfio-pci";

  /** Writes one sysfs attribute; production opens it for writing without creating it. */
  interface Writer {
    void write(Path attribute, String value) throws IOException;
  }

  private final Path sys;
  private final Supplier<HostInventory> inventory;
  private final Writer writer;

  VfioBinder(Path sys, Supplier<HostInventory> inventory) {
    this(sys, inventory, (attribute, value) ->
        Files.writeString(attribute, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE));
  }

  VfioBinder(Path sys, Supplier<HostInventory> inventory, Writer writer) {
    this.sys = Objects.requireNonNull(sys, "sys");
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  @Override
  public void bind(String address) throws IOException {
    for (String function : functions(address)) {
      String driver = Sysfs.linkName(device(function).resolve("driver")).orElse(null);
      if (VFIO.equals(driver)) {
        continue;
      }
      writer.write(device(function).resolve("driver_override"), VFIO);
      if (driver != null) {
        writer.write(sys.resolve("bus/pci/drivers").resolve(driver).resolve("unbind"), function);
      }
      writer.write(sys.resolve("bus/pci/drivers_probe"), function);
    }
  }

  @Override
  public void release(String address) throws IOException {
    for (String function : functions(address)) {
      String driver = Sysfs.linkName(device(function).resolve("driver")).orElse(null);
      // An empty line clears the override (sysfs-bus-pci); then the host driver may probe it again.
      writer.write(device(function).resolve("driver_override"), "\n");
      if (VFIO.equals(driver)) {
        writer.write(sys.resolve("bus/pci/drivers").resolve(VFIO).resolve("unbind"), function);
      }
      writer.write(sys.resolve("bus/pci/drivers_probe"), function);
    }
  }

  /** The GPU and its companions in address order: what goes to the VM together. */
  List<String> functions(String address) throws IOException {
    HostInventory.Gpu gpu = inventory.get().gpus().stream().filter(g -> g.address().equals(address)).findFirst()
        .orElseThrow(() -> new IOException("no GPU at " + address + " on this host"));
    if (!gpu.passthrough().ready()) {
      throw new IOException("GPU " + address + " cannot be passed through: " + gpu.passthrough().reason());
    }
    List<String> out = new ArrayList<>();
    for (HostInventory.PciFunction function : gpu.groupDevices()) {
      if (function.role().equals("gpu") || function.role().equals("companion")) {
        out.add(function.address());
      }
    }
    return out;
  }

  private Path device(String address) {
    return sys.resolve("bus/pci/devices").resolve(address);
  }
}
