package org.powerverse.platform;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs blocking work on a virtual thread and hands the outcome back on the caller's Vert.x
 * context, so event-loop handlers never block (STYLE.md §9).
 */
public final class Blocking {

  private static final ExecutorService VIRTUAL =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("pv-blocking-", 0).factory());

  private Blocking() {}

  public static <T> Future<T> call(Vertx vertx, Callable<T> work) {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<T> result = new CompletableFuture<>();
    VIRTUAL.execute(() -> {
      try {
        result.complete(work.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return Future.fromCompletionStage(result, context);
  }
}
