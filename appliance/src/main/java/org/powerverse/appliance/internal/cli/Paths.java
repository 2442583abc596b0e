package org.powerverse.appliance.internal.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.ConfigLoader;

/** Where things are by default: the data directory and the config file. */
final class Paths {

  private Paths() {}

  /** /var/lib/powerverse for root (the appliance); $XDG_DATA_HOME/powerverse otherwise (a laptop). */
  static Path defaultDataDir(Map<String, String> env) {
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/var/lib/powerverse");
    }
    String xdg = env.get("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("powerverse");
  }

  /** The config: the file given, else DATA/config/powerverse.yaml if it exists, else the defaults. */
  static NodeConfig loadConfig(Optional<Path> file, Path dataDir) throws ConfigException {
    if (file.isPresent()) {
      return ConfigLoader.load(file.get(), NodeConfig.class);
    }
    Path inData = dataDir.resolve("config").resolve("powerverse.yaml");
    return Files.exists(inData) ? ConfigLoader.load(inData, NodeConfig.class) : ConfigLoader.defaults(NodeConfig.class);
  }
}
