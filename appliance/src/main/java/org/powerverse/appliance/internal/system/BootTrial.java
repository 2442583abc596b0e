package org.powerverse.appliance.internal.system;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.powerverse.platform.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a boot's trial: once every subsystem is ready the booted slot is marked good (RAUC's
 * "mark-good" after a healthy boot); a slot on trial that is not ready within the trial timeout
 * reboots the machine, so that GRUB counts a failed attempt and, after the last, boots the other
 * slot. Not booted from the A/B image: nothing to do.
 */
public final class BootTrial implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BootTrial.class);
  static final Duration CHECK_EVERY = Duration.ofSeconds(1);

  private final Vertx vertx;
  private final SystemSlots slots;
  private final BooleanSupplier ready;
  private final Clock clock;
  private final Duration timeout;
  private final List<String> rebootCommand;
  private final AtomicBoolean done = new AtomicBoolean();
  private long timer = -1;

  public BootTrial(Vertx vertx, SystemSlots slots, BooleanSupplier ready, Clock clock, Duration timeout,
      List<String> rebootCommand) {
    this.vertx = vertx;
    this.slots = slots;
    this.ready = ready;
    this.clock = clock;
    this.timeout = timeout;
    this.rebootCommand = List.copyOf(rebootCommand);
  }

  public void start() {
    if (slots.bootedSlot().isEmpty()) {
      return;
    }
    Instant deadline = clock.instant().plus(timeout);
    timer = vertx.setPeriodic(CHECK_EVERY.toMillis(), id -> {
      if (done.get()) {
        return;
      }
      boolean isReady = ready.getAsBoolean();
      boolean expired = clock.instant().isAfter(deadline);
      if (!isReady && !expired) {
        return;
      }
      done.set(true);
      vertx.cancelTimer(id);
      Blocking.call(vertx, () -> {
        if (isReady) {
          slots.markBootedGood();
        } else if (slots.onTrial()) {
          LOG.atError().addKeyValue("timeoutSeconds", timeout.toSeconds())
              .log("the updated slot did not become ready in time; rebooting to count a failed boot");
          reboot(rebootCommand);
        } else {
          LOG.atWarn().log("not ready within the trial timeout; the slot is not on trial, so no reboot");
        }
        return null;
      });
    });
  }

  /** Runs the reboot command, its output to the log; an error when it cannot be run. */
  public static void reboot(List<String> command) throws IOException {
    LOG.atWarn().addKeyValue("command", String.join(" ", command)).log("rebooting");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IOException(command.get(0) + " did not finish in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while rebooting", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed with exit status " + process.exitValue());
    }
  }

  @Override
  public void close() {
    done.set(true);
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
