package org.powerverse.platform;

import java.util.List;

/** A small config tree shaped like the node's, for the loader's tests. */
@Doc("Sample root.")
record SampleConfig(
    @Doc("The API.") Api api,
    @Doc("The GPU rules.") Gpu gpu) {

  SampleConfig {
    api = Check.orDefault(api, new Api(null, null, null));
    gpu = Check.orDefault(gpu, new Gpu(null));
  }

  record Api(
      @Doc("Port.") Integer port,
      @Doc("Format.") Format format,
      @Doc("Enabled.") Boolean enabled) {
    static final int DEFAULT_PORT = 8443;

    Api {
      port = Check.range("port", Check.orDefault(port, DEFAULT_PORT), 0, 65535);
      format = Check.orDefault(format, Format.auto);
      enabled = Check.orDefault(enabled, true);
    }
  }

  enum Format { auto, json, text }

  record Gpu(@Doc("PCI addresses allowed.") List<String> allowlist) {
    Gpu {
      allowlist = List.copyOf(Check.orDefault(allowlist, List.of()));
      for (int i = 0; i < allowlist.size(); i++) {
        Check.that(allowlist.get(i).matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]"),
            "allowlist[" + i + "]", "not a PCI address (expected dddd:bb:ss.f), got \"" + allowlist.get(i) + "\"");
      }
    }
  }
}
