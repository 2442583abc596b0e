package org.powerverse.hypervisor.internal;

import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

/** libvirt look-ups where "not found" is an empty Optional, not an exception (STYLE.md §4). */
final class Libvirt {
  private Libvirt() {}

  /** virDomainUndefineFlags: managed save, snapshot metadata and NVRAM (VIR_DOMAIN_UNDEFINE_NVRAM = 4). */
  static final int UNDEFINE_ALL = 1 | 2 | 4;
  /** VIR_DOMAIN_METADATA_ELEMENT. */
  static final int METADATA_ELEMENT = 2;

  static Optional<Domain> domain(Connect connection, String name) throws LibvirtException {
    try {
      return Optional.of(connection.domainLookupByName(name));
    } catch (LibvirtException e) {
      if (code(e) == ErrorNumber.VIR_ERR_NO_DOMAIN) {
        return Optional.empty();
      }
      throw e;
    }
  }

  static Optional<StoragePool> pool(Connect connection, String name) throws LibvirtException {
    try {
      return Optional.of(connection.storagePoolLookupByName(name));
    } catch (LibvirtException e) {
      if (code(e) == ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
        return Optional.empty();
      }
      throw e;
    }
  }

  static Optional<StorageVol> volume(StoragePool pool, String name) throws LibvirtException {
    try {
      return Optional.of(pool.storageVolLookupByName(name));
    } catch (LibvirtException e) {
      if (code(e) == ErrorNumber.VIR_ERR_NO_STORAGE_VOL) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The owner our metadata element names, or empty when the domain is not ours. */
  static Optional<String> owner(Domain domain) throws LibvirtException {
    String element;
    try {
      element = domain.getMetadata(METADATA_ELEMENT, DomainXml.METADATA_NS, 0);
    } catch (LibvirtException e) {
      if (code(e) == ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA) {
        return Optional.empty();
      }
      throw e;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("owner=['\"]([^'\"]*)['\"]").matcher(element);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  static boolean isNotFound(LibvirtException e) {
    ErrorNumber code = code(e);
    return code == ErrorNumber.VIR_ERR_NO_DOMAIN || code == ErrorNumber.VIR_ERR_NO_STORAGE_VOL;
  }

  static ErrorNumber code(LibvirtException e) {
    return e.getError() == null ? null : e.getError().getCode();
  }
}
