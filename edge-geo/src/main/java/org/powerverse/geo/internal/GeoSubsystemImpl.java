package org.powerverse.geo.internal;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.powerverse.geo.GeoConfig;
import org.powerverse.geo.GeoSubsystem;
import org.powerverse.geo.Location;
import org.powerverse.geo.LocationSource;
import org.powerverse.geo.NearestQuery;
import org.powerverse.geo.NodeMatch;
import org.powerverse.geo.Offer;
import org.powerverse.geo.PeerStatus;
import org.powerverse.geo.Receipt;
import org.powerverse.geo.ReceiveOutcome;
import org.powerverse.geo.SelfView;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.Blocking;
import org.powerverse.platform.Health;
import org.powerverse.platform.SubsystemContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code geo} subsystem: resolves the location (blocking, on a virtual thread), then runs the
 * {@link GeoEngine} with a one-second tick and a {@link GossipClient} to the configured peers.
 * Starts even without a location (it then relays and answers, but announces nothing) and reports
 * that as degraded, as it does when no configured peer is reachable.
 */
public final class GeoSubsystemImpl implements GeoSubsystem {

  public static final String NAME = "geo";
  public static final String OPENAPI = "openapi/geo.yaml";
  /** Consecutive failures after which a peer counts as unreachable for health. */
  static final int UNREACHABLE_AFTER = 3;
  private static final Logger LOG = LoggerFactory.getLogger(GeoSubsystemImpl.class);

  private final GeoConfig config;
  private final Supplier<Offer> offer;
  private final PublicAddressDetector detector;
  private final LongSupplier nanoTime;
  private volatile GeoEngine engine;
  private volatile GossipClient gossip;
  private volatile Clock clock = Clock.systemUTC();
  private volatile Health health;
  private volatile String nodeId;
  private Vertx vertx;
  private long ticker = -1;

  public GeoSubsystemImpl(GeoConfig config, Supplier<Offer> offer, PublicAddressDetector detector, LongSupplier nanoTime) {
    this.config = Objects.requireNonNull(config, "config");
    this.offer = Objects.requireNonNull(offer, "offer");
    this.detector = Objects.requireNonNull(detector, "detector");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.health = Health.starting(clock.instant());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<String> openApiResource() {
    return Optional.of(OPENAPI);
  }

  @Override
  public void mount(ApiRoutes routes) {
    // Bound before start: until then queries answer 503 and announcements are turned away.
    new GeoApi(this, config.maxAnnouncementBytes(), this::nodeId).mount(routes);
  }

  @Override
  public Future<Void> start(SubsystemContext context) {
    this.vertx = context.vertx();
    this.clock = context.clock();
    this.nodeId = context.identity().nodeId();
    this.health = Health.starting(clock.instant());
    return Blocking.call(vertx, () -> new LocationResolver(detector).resolve(config)).map(location -> {
      LOG.info("geo: location {} ({}): {}", location.h3Cell(), location.source(), location.detail());
      NearestIndex index = new NearestIndex();
      GossipClient[] client = new GossipClient[1];
      GeoEngine created = new GeoEngine(config, context.identity(), clock, location, offer,
          (signed, envelope) -> client[0].broadcast(signed, envelope), index);
      client[0] = new GossipClient(vertx, config.peers(), clock, context.random(), nanoTime,
          (peer, claimed, rtt) -> created.recordRtt(peer, claimed, rtt));
      created.peerStatus(client[0]::status);
      Gauge.builder("geo.nodes", created, GeoEngine::knownNodes)
          .description("live announcements in the nearest-node index").register(context.metrics());
      gossip = client[0];
      engine = created;
      created.tick();
      ticker = vertx.setPeriodic(1_000, id -> tick());
      updateHealth();
      return null;
    });
  }

  private void tick() {
    try {
      engine.tick();
    } catch (RuntimeException e) {
      LOG.error("geo: tick failed", e);
      health = health.transitionTo(Health.degraded("announcing failed: " + e.getMessage(), clock.instant()));
      return;
    }
    updateHealth();
  }

  private void updateHealth() {
    GeoEngine current = engine;
    if (current == null) {
      return;
    }
    Location location = current.location();
    Health next;
    List<PeerStatus> peers = gossip.status();
    boolean allUnreachable = !peers.isEmpty() && peers.stream().allMatch(p -> p.consecutiveFailures() >= UNREACHABLE_AFTER);
    // Unknown because nothing was configured is the operator's choice (the node relays and answers
    // and says so in /geo/self); unknown although a GeoIP database was configured is a fault.
    if (location.source() == LocationSource.unknown && config.mmdb() != null) {
      next = Health.degraded("location unknown (" + location.detail() + "): relaying and answering, announcing nothing",
          clock.instant());
    } else if (allUnreachable) {
      next = Health.degraded("no configured peer reachable: " + peers.get(0).url() + ": " + peers.get(0).lastError(),
          clock.instant());
    } else {
      next = Health.ready(clock.instant());
    }
    health = health.transitionTo(next);
  }

  @Override
  public Health health() {
    return health;
  }

  @Override
  public Future<Void> stop() {
    if (vertx != null && ticker >= 0) {
      vertx.cancelTimer(ticker);
      ticker = -1;
    }
    GossipClient client = gossip;
    if (client != null) {
      client.close();
    }
    health = Health.stopped(clock.instant());
    return Future.succeededFuture();
  }

  private GeoEngine engine() {
    GeoEngine current = engine;
    if (current == null) {
      throw ApiProblem.unavailable("geo is starting: its location is being resolved");
    }
    return current;
  }

  @Override
  public SelfView self() {
    return engine().self();
  }

  @Override
  public List<NodeMatch> nearest(NearestQuery query) {
    return engine().nearest(query);
  }

  @Override
  public Receipt receive(byte[] envelope) {
    GeoEngine current = engine;
    if (current == null) {
      return new Receipt(ReceiveOutcome.full, null, "geo is starting; try again shortly");
    }
    return current.receive(envelope);
  }

  /** The node id answered to peers in receipts; null before start. */
  String nodeId() {
    return nodeId;
  }
}
