package org.powerverse.hypervisor.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.Library;
import org.powerverse.platform.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the node's libvirt connection: opens it, watches it (keepalive and close events through
 * libvirt's event loop) and reopens it with exponential backoff when libvirtd goes away, reporting
 * health all along. libvirt's event loop is initialised once, before the first connection, and run
 * on its own daemon thread, as libvirt requires for keepalive and events.
 */
public final class LibvirtMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LibvirtMonitor.class);
  private static final Object EVENT_LOOP_LOCK = new Object();
  private static Thread eventLoop;

  private final String uri;
  private final Duration maxBackoff;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final AtomicReference<Health> health;
  private volatile Connect connection;
  private final java.util.List<java.util.function.Consumer<Connect>> onConnect =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private Duration backoff = Duration.ofSeconds(1);

  public LibvirtMonitor(String uri, Duration maxBackoff, Clock clock) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.health = new AtomicReference<>(Health.starting(clock.instant()));
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "libvirt-connect");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Calls {@code listener} with each new connection (after every reconnect), on the connecting
   * thread: register event callbacks there, and hand long work to another thread.
   */
  public void onConnect(java.util.function.Consumer<Connect> listener) {
    onConnect.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Starts connecting in the background; health says how it goes. */
  public void start() {
    scheduler.execute(this::connect);
  }

  public Health health() {
    return health.get();
  }

  private void connect() {
    if (closed) {
      return;
    }
    try {
      ensureEventLoop();
      Connect opened = new Connect(uri);
      try {
        // Notices a dead daemon within ~20 s; only remote (daemon) connections support it.
        opened.setKeepAlive(5, 3);
      } catch (LibvirtException e) {
        LOG.atDebug().addKeyValue("uri", uri).log("libvirt keepalive not supported by this driver");
      }
      opened.registerCloseListener((conn, reason) -> {
        LOG.atWarn().addKeyValue("uri", uri).addKeyValue("reason", String.valueOf(reason))
            .log("libvirt connection closed");
        setHealth(Health.degraded("libvirt connection to " + uri + " closed (" + reason + "); reconnecting", clock.instant()));
        connection = null;
        scheduleReconnect();
      });
      connection = opened;
      backoff = Duration.ofSeconds(1);
      long version = opened.getLibVersion();
      String description = "libvirt " + (version / 1_000_000) + "." + (version / 1000 % 1000) + "." + (version % 1000)
          + ", driver " + opened.getType();
      LOG.atInfo().addKeyValue("uri", uri).addKeyValue("libvirt", description).log("connected to libvirt");
      setHealth(Health.ready(clock.instant()));
      for (java.util.function.Consumer<Connect> listener : onConnect) {
        try {
          listener.accept(opened);
        } catch (RuntimeException e) {
          LOG.atWarn().setCause(e).log("a libvirt connection listener failed");
        }
      }
    } catch (LibvirtException e) {
      setHealth(Health.degraded("cannot connect to libvirt at " + uri + ": " + e.getMessage()
          + "; retrying in " + backoff.toSeconds() + " s", clock.instant()));
      scheduleReconnect();
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      // The client library is absent (a laptop without libvirt): retrying cannot help.
      setHealth(Health.degraded("the libvirt client library (libvirt.so.0) is not installed;"
          + " install libvirt-daemon-system (Debian) to run VMs", clock.instant()));
    }
  }

  private void scheduleReconnect() {
    if (closed) {
      return;
    }
    Duration wait = backoff;
    backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
    scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void setHealth(Health next) {
    health.updateAndGet(current -> current.transitionTo(next));
  }

  private static void ensureEventLoop() throws LibvirtException {
    synchronized (EVENT_LOOP_LOCK) {
      if (eventLoop != null) {
        return;
      }
      LibvirtErrors.silence();
      Library.initEventLoop();
      Thread thread = new Thread(() -> {
        try {
          Library.runEventLoop();
        } catch (LibvirtException | InterruptedException e) {
          LOG.atError().setCause(e).log("libvirt event loop stopped");
        }
      }, "libvirt-events");
      thread.setDaemon(true);
      thread.start();
      eventLoop = thread;
    }
  }

  /** The open connection, if any; callers must expect it to fail if libvirtd just went away. */
  public java.util.Optional<Connect> connection() {
    return java.util.Optional.ofNullable(connection);
  }

  /** Closes the connection and stops reconnecting. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.shutdownNow();
    Connect open = connection;
    connection = null;
    if (open != null) {
      try {
        open.unregisterCloseListener();
        open.close();
      } catch (LibvirtException e) {
        LOG.atDebug().setCause(e).log("closing libvirt connection");
      }
    }
    setHealth(Health.stopped(clock.instant()));
  }
}
