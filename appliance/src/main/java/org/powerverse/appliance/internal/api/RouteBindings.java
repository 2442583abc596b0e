package org.powerverse.appliance.internal.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.powerverse.platform.ApiHandler;
import org.powerverse.platform.ApiRoutes;

/** The handlers bound to the contract's operations, with who bound each (for error messages). */
public final class RouteBindings {

  /** How a handler runs. */
  enum Mode { EVENT_LOOP, BLOCKING, RAW }

  record Binding(String owner, Mode mode, ApiHandler handler, Handler<RoutingContext> raw) {}

  private final Map<String, Binding> bindings = new LinkedHashMap<>();

  /** The {@link ApiRoutes} a part of the node binds its operations through. */
  public ApiRoutes forOwner(String owner) {
    return new ApiRoutes() {
      @Override
      public void handle(String operationId, ApiHandler handler) {
        bind(operationId, new Binding(owner, Mode.EVENT_LOOP, Objects.requireNonNull(handler), null));
      }

      @Override
      public void handleBlocking(String operationId, ApiHandler handler) {
        bind(operationId, new Binding(owner, Mode.BLOCKING, Objects.requireNonNull(handler), null));
      }

      @Override
      public void handleRaw(String operationId, Handler<RoutingContext> handler) {
        bind(operationId, new Binding(owner, Mode.RAW, null, Objects.requireNonNull(handler)));
      }
    };
  }

  private synchronized void bind(String operationId, Binding binding) {
    Binding earlier = bindings.putIfAbsent(operationId, binding);
    if (earlier != null) {
      throw new IllegalStateException("operation " + operationId + " is bound by both " + earlier.owner() + " and "
          + binding.owner());
    }
  }

  synchronized Map<String, Binding> all() {
    return Map.copyOf(bindings);
  }
}
