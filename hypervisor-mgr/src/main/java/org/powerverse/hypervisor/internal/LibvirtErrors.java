package org.powerverse.hypervisor.internal;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * libvirt prints every error to stderr unless a process-wide error function is set; libvirt-java
 * does not set one and has no call for it, so it is bound here with JNA. Errors still reach Java:
 * libvirt-java reads them with virGetLastError and throws LibvirtException.
 */
final class LibvirtErrors {

  interface Native_ extends Library {
    /** virErrorFunc: void (*)(void *userData, virErrorPtr error). */
    interface ErrorFunc extends Callback {
      void invoke(Pointer userData, Pointer error);
    }

    void virSetErrorFunc(Pointer userData, ErrorFunc handler);
  }

  // Held strongly: libvirt keeps only the native function pointer.
  private static final Native_.ErrorFunc IGNORE = (userData, error) -> { };
  private static volatile boolean silenced;

  private LibvirtErrors() {}

  /** Stops libvirt's own printing of errors; idempotent. */
  static synchronized void silence() {
    if (silenced) {
      return;
    }
    Native.load("virt", Native_.class).virSetErrorFunc(Pointer.NULL, IGNORE);
    silenced = true;
  }
}
