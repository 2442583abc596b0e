package org.powerverse.appliance.internal.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.hypervisor.HostInventory;
import org.powerverse.hypervisor.Hypervisor;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./powerverse host}: this machine's inventory, read locally (no server needed). */
@Command(name = "host", mixinStandardHelpOptions = true,
    description = "Show this machine's inventory: CPU, memory, disks, NICs, GPUs and IOMMU groups, KVM.")
final class HostCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print JSON (as GET /api/v1/host does).")
  boolean json;

  @Option(names = "--config", paramLabel = "FILE", description = "Config whose hypervisor section gives the sysfs/procfs roots.")
  Path config;

  @Option(names = "--root", paramLabel = "DIR",
      description = "Read a captured machine: DIR holds proc/, sys/ and dev/ (see capture-host.sh).")
  Path root;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    NodeConfig nodeConfig;
    try {
      nodeConfig = Paths.loadConfig(Optional.ofNullable(config), Paths.defaultDataDir(System.getenv()));
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("powerverse: bad config: " + e.getMessage());
      return RootCommand.BAD_CONFIG;
    }
    var hypervisor = nodeConfig.hypervisor();
    if (root != null) {
      hypervisor = new org.powerverse.hypervisor.HypervisorConfig(hypervisor.enabled(), hypervisor.libvirtUri(),
          root.toAbsolutePath().resolve("proc").toString(), root.toAbsolutePath().resolve("sys").toString(),
          root.toAbsolutePath().resolve("dev").toString(), hypervisor.pciIdsPath(), hypervisor.inventoryCacheSeconds(),
          hypervisor.reconnectMaxSeconds(), hypervisor.benchmark());
    }
    HostInventory host = Hypervisor.readInventory(hypervisor, Clock.systemUTC());
    if (json) {
      out.println(Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).valueToTree(host).toPrettyString());
    } else {
      print(out, host);
    }
    out.flush();
    return RootCommand.OK;
  }

  static void print(PrintWriter out, HostInventory host) {
    HostInventory.Cpu cpu = host.cpu();
    out.println("host     " + host.hostname());
    out.println("cpu      " + cpu.model() + ": " + cpu.sockets() + " socket(s), " + cpu.cores() + " cores, "
        + cpu.threads() + " threads" + (cpu.baseMhz() == null ? "" : ", " + Math.round(cpu.baseMhz()) + " MHz")
        + (cpu.virtualization() == null ? ", no vmx/svm" : ", " + cpu.virtualization()));
    out.println("memory   " + Table.bytes(host.memory().totalBytes()) + " total, "
        + Table.bytes(host.memory().availableBytes()) + " available"
        + (host.memory().hugePagesTotal() > 0 ? ", " + host.memory().hugePagesTotal() + " x "
            + Table.bytes(host.memory().hugePageSizeBytes()) + " huge pages" : ""));
    out.println("kvm      " + (host.kvm().usable() ? "usable (VMs run with KVM)" : "not usable: " + host.kvm().reason()));
    out.println("iommu    " + (host.iommu().enabled() ? "enabled, " + host.iommu().groups() + " groups" : "off: " + host.iommu().reason()));
    out.println();
    Table disks = new Table("DISK", "MODEL", "SIZE", "TYPE", "TRANSPORT");
    host.disks().forEach(d -> disks.row(d.name(), d.model(), Table.bytes(d.sizeBytes()),
        d.rotational() ? "hdd" : "ssd", d.transport() + (d.removable() ? " (removable)" : "")));
    disks.print(out);
    out.println();
    Table nics = new Table("NIC", "MAC", "SPEED", "STATE", "DRIVER");
    host.nics().forEach(n -> nics.row(n.name(), n.mac(), n.speedMbps() == null ? null : n.speedMbps() + " Mb/s",
        n.state(), n.driver()));
    nics.print(out);
    out.println();
    if (host.gpus().isEmpty()) {
      out.println("no GPUs");
      return;
    }
    Table gpus = new Table("GPU", "MODEL", "MEMORY", "DRIVER", "GROUP", "PASSTHROUGH");
    host.gpus().forEach(g -> gpus.row(g.address(),
        g.deviceName() != null ? g.deviceName() : g.vendorId() + ":" + g.deviceId(), Table.bytes(g.memoryBytes()),
        g.driver(), g.iommuGroup(), g.passthrough().ready() ? "ready" : "no: " + g.passthrough().reason()));
    gpus.print(out);
  }
}
