package org.powerverse.hypervisor;

import java.util.List;
import java.util.Optional;
import org.powerverse.platform.Job;

/**
 * VMs of this node (issue 4). Every change is written to the desired state first; a reconciler
 * converges libvirt to it. Problems are {@code ApiProblem}s naming the field (409 conflict, 422
 * cannot be met, 404 unknown VM).
 */
public interface VmService {

  /** Admits the spec (memory, GPUs, name) and records it; the job builds and starts the VM. */
  Job create(VmSpec spec);

  Optional<Vm> find(String name);

  List<Vm> list();

  /** start, stop (force off), suspend, resume, reboot: quick, answered with the VM as it then stands. */
  Vm act(String name, VmAction action);

  /** ACPI power-off, forced after {@code timeoutSeconds} (null: the configured default); a job. */
  Job shutdown(String name, Integer timeoutSeconds);

  /** New vcpus and memory: applied live where the domain allows, else at the next boot (the VM says so). */
  Vm resize(String name, int vcpus, long memoryMiB);

  /** Removes the VM and everything it had (domain, volumes, seed ISO, claims); a job. */
  Job delete(String name);

  /** The quick actions of {@link #act}. */
  enum VmAction { start, stop, suspend, resume, reboot }
}
