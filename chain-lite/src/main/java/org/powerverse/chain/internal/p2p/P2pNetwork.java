package org.powerverse.chain.internal.p2p;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The validator network over Vert.x TCP (docs/chain.md, "Validator network"). Every frame is
 * {@code length (4, big-endian) || type (1) || payload}, length counting type and payload.
 *
 * <p>Handshake, the same on both ends of a connection: each side sends {@code HELLO = networkId
 * (32) || nonce (32)}, then on the other's HELLO {@code AUTH = publicKey (32) || Ed25519
 * signature} over {@code "PowerVerse p2p v1 auth" || own role || networkId || peer's nonce ||
 * own nonce} (role 'D' for the dialer, 'L' for the listener, so a signature cannot be reflected
 * back on the same connection). A peer whose key is not in the validator set, is this node's own
 * key or is banned, whose signature does not verify, or that does not finish within the handshake
 * timeout is disconnected. Nothing but HELLO and AUTH is accepted before.
 *
 * <p>After it: frames are limited in size, each peer has token buckets for messages and bytes
 * (frames over them are dropped and counted), duplicates (SHA-256 of type || payload) are dropped
 * before they reach the receiver, and what would be sent to a peer with more than maxQueuedBytes
 * still unsent is dropped (consensus re-broadcasts what matters). Each node dials every configured peer and sends on the
 * connections it dialed; it receives on all. A lost connection is dialed again with exponential
 * backoff and jitter.
 */
public final class P2pNetwork implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(P2pNetwork.class.getName());

  /** Bounds on what a peer can cost this node. */
  public record Limits(int maxFrameBytes, double messagesPerSecond, double messageBurst, double bytesPerSecond,
      double byteBurst, int maxQueuedBytes, long handshakeTimeoutMillis, long banMillis, long minBackoffMillis,
      long maxBackoffMillis, int seenCapacity) {

    /** A 16 MiB frame holds the largest block (30 M gas / 21,000 = 1,428 transfers, far below). */
    public static final Limits DEFAULT = new Limits(16 << 20, 50_000, 100_000, 256.0 * (1 << 20), 512.0 * (1 << 20),
        64 << 20, 5_000, 60_000, 50, 2_000, 500_000);

    public Limits {
      if (maxFrameBytes < HANDSHAKE_MAX_FRAME || messagesPerSecond <= 0 || messageBurst < 1 || bytesPerSecond <= 0
          || byteBurst < maxFrameBytes || maxQueuedBytes < 1 || handshakeTimeoutMillis < 1 || banMillis < 0
          || minBackoffMillis < 1 || maxBackoffMillis < minBackoffMillis || seenCapacity < 1) {
        throw new IllegalArgumentException("p2p limits out of range: " + this);
      }
    }
  }

  /** Counters for status and tests. */
  public record Stats(int authenticatedPeers, long refusedHandshakes, long duplicates, long droppedByRate,
      long droppedByQueue, long oversizedFrames) {}

  /** Where authenticated, first-seen messages go: validator index of the peer, type, payload. */
  @FunctionalInterface
  public interface Receiver {
    void receive(int fromValidator, int type, byte[] payload);
  }

  public static final int FIRST_APP_TYPE = 16;
  static final int HELLO = 1;
  static final int AUTH = 2;
  static final int HANDSHAKE_MAX_FRAME = 1 + 32 + 64;
  private static final int NONCE_BYTES = 32;
  private static final byte[] AUTH_CONTEXT = "PowerVerse p2p v1 auth".getBytes(StandardCharsets.US_ASCII);

  private final Vertx vertx;
  private final ValidatorKey key;
  private final List<byte[]> validators;
  private final int self;
  private final byte[] networkId;
  private final Limits limits;
  private final Random random;
  private final LongSupplier millis;
  private final Receiver receiver;

  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final List<Dialer> dialers = new ArrayList<>();
  private final Map<Integer, Long> bannedUntil = new HashMap<>();
  private final LinkedHashMap<ByteBuffer, Boolean> seen;
  private NetServer server;
  private NetClient client;
  private volatile boolean closed;
  private long refused;
  private long duplicates;
  private long droppedByRate;
  private long droppedByQueue;
  private long oversized;

  /**
   * @param validators the validator set's Ed25519 public keys, by validator index
   * @param networkId what both ends must agree on (the genesis block hash)
   * @param random the source of handshake nonces (a SecureRandom in production) and backoff jitter
   */
  public P2pNetwork(Vertx vertx, ValidatorKey key, List<byte[]> validators, byte[] networkId, Limits limits,
      Random random, LongSupplier millis, Receiver receiver) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.key = Objects.requireNonNull(key, "key");
    this.validators = validators.stream().map(byte[]::clone).toList();
    this.self = indexOf(key.publicKey());
    if (Objects.requireNonNull(networkId, "networkId").length != 32) {
      throw new IllegalArgumentException("networkId has 32 bytes, got " + networkId.length);
    }
    this.networkId = networkId.clone();
    this.limits = Objects.requireNonNull(limits, "limits");
    this.random = Objects.requireNonNull(random, "random");
    this.millis = Objects.requireNonNull(millis, "millis");
    this.receiver = Objects.requireNonNull(receiver, "receiver");
    int capacity = limits.seenCapacity();
    this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** This node's validator index, or -1 when its key is not in the set (it may still listen and dial). */
  public int self() {
    return self;
  }

  /** Listens on host:port (0: any free port); the future has the bound port. */
  public Future<Integer> listen(String host, int port) {
    server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true));
    server.connectHandler(socket -> attach(socket, null));
    return server.listen(port, host).map(NetServer::actualPort);
  }

  /** Dials each peer (host:port) now and again whenever its connection is lost. */
  public void dial(List<String> peers) {
    if (client == null) {
      client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(2_000));
    }
    for (String peer : peers) {
      int colon = peer.lastIndexOf(':');
      String host = peer.substring(0, colon).replace("[", "").replace("]", "");
      Dialer dialer = new Dialer(host, Integer.parseInt(peer.substring(colon + 1)));
      synchronized (this) {
        dialers.add(dialer);
      }
      connect(dialer);
    }
  }

  /** Sends to every peer this node dialed that is authenticated; returns to how many. */
  public int broadcast(int type, byte[] payload) {
    markSeen(type, payload);
    Buffer frame = frame(type, payload);
    int sent = 0;
    for (Connection c : connections) {
      if (c.outbound && c.peer >= 0 && write(c, frame)) {
        sent++;
      }
    }
    return sent;
  }

  /** Passes a verified message on to the peers other than the one it came from (gossip). */
  public void relay(int type, byte[] payload, int except) {
    Buffer frame = frame(type, payload);
    for (Connection c : connections) {
      if (c.outbound && c.peer >= 0 && c.peer != except) {
        write(c, frame);
      }
    }
  }

  /** Sends to one validator, on the connection this node dialed if it has one, else on any. */
  public boolean send(int validator, int type, byte[] payload) {
    Connection best = null;
    for (Connection c : connections) {
      if (c.peer == validator && (best == null || c.outbound)) {
        best = c;
      }
    }
    return best != null && write(best, frame(type, payload));
  }

  /** Disconnects a validator that sent an invalid message and refuses it for the ban time. */
  public void ban(int validator, String reason) {
    synchronized (this) {
      bannedUntil.put(validator, millis.getAsLong() + limits.banMillis());
    }
    LOG.log(System.Logger.Level.WARNING, "banning validator {0} for {1} ms: {2}", validator, limits.banMillis(), reason);
    for (Connection c : connections) {
      if (c.peer == validator) {
        c.socket.close();
      }
    }
  }

  public synchronized Stats stats() {
    int peers = (int) connections.stream().filter(c -> c.peer >= 0).mapToInt(c -> c.peer).distinct().count();
    return new Stats(peers, refused, duplicates, droppedByRate, droppedByQueue, oversized);
  }

  /** The validators this node has an authenticated connection to (either direction). */
  public List<Integer> connectedValidators() {
    return connections.stream().filter(c -> c.peer >= 0).map(c -> c.peer).distinct().sorted().toList();
  }

  /** The validators this node dialed and authenticated: where {@link #broadcast} goes. */
  public List<Integer> dialedValidators() {
    return connections.stream().filter(c -> c.outbound && c.peer >= 0).map(c -> c.peer).distinct().sorted().toList();
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      for (Dialer d : dialers) {
        if (d.timer >= 0) {
          vertx.cancelTimer(d.timer);
        }
      }
    }
    for (Connection c : connections) {
      c.socket.close();
    }
    // Not awaited: close() runs on Vert.x worker threads at stop, where blocking on a future is refused.
    if (server != null) {
      server.close();
    }
    if (client != null) {
      client.close();
    }
  }

  // --- connections ---

  private void connect(Dialer dialer) {
    if (closed) {
      return;
    }
    client.connect(dialer.port, dialer.host).onComplete(ar -> {
      if (ar.succeeded()) {
        attach(ar.result(), dialer);
      } else {
        redial(dialer);
      }
    });
  }

  private void redial(Dialer dialer) {
    if (closed) {
      return;
    }
    long delay;
    synchronized (this) {
      long base = Math.min(limits.maxBackoffMillis(), limits.minBackoffMillis() << Math.min(20, dialer.attempts));
      dialer.attempts++;
      delay = base / 2 + (long) (random.nextDouble() * (base / 2 + 1)); // jitter: peers do not redial in lockstep
      Long ban = dialer.lastPeer < 0 ? null : bannedUntil.get(dialer.lastPeer);
      if (ban != null) {
        delay = Math.max(delay, ban - millis.getAsLong());
      }
      dialer.timer = vertx.setTimer(Math.max(1, delay), id -> {
        dialer.timer = -1;
        connect(dialer);
      });
    }
  }

  private void attach(NetSocket socket, Dialer dialer) {
    if (closed) {
      socket.close();
      return;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    synchronized (this) {
      random.nextBytes(nonce);
    }
    Connection c = new Connection(socket, dialer, nonce, millis.getAsLong(), limits);
    connections.add(c);
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(buffer -> onRecord(c, parser, buffer));
    socket.handler(parser);
    socket.closeHandler(v -> {
      connections.remove(c);
      if (dialer != null) {
        redial(dialer);
      }
    });
    socket.exceptionHandler(e -> socket.close());
    vertx.setTimer(limits.handshakeTimeoutMillis(), id -> {
      if (c.peer < 0) {
        socket.close();
      }
    });
    socket.write(frame(HELLO, concat(networkId, nonce)));
  }

  private void onRecord(Connection c, RecordParser parser, Buffer buffer) {
    if (c.frameLength < 0) {
      int length = buffer.getInt(0);
      int max = c.peer >= 0 ? limits.maxFrameBytes() : HANDSHAKE_MAX_FRAME;
      if (length < 1 || length > max) {
        synchronized (this) {
          oversized++;
        }
        c.socket.close();
        return;
      }
      c.frameLength = length;
      parser.fixedSizeMode(length);
      return;
    }
    c.frameLength = -1;
    parser.fixedSizeMode(4);
    int type = buffer.getUnsignedByte(0);
    byte[] payload = buffer.getBytes(1, buffer.length());
    if (c.peer < 0) {
      handshake(c, type, payload);
    } else if (type >= FIRST_APP_TYPE) {
      deliver(c, type, payload, buffer.length());
    } else {
      c.socket.close(); // a second handshake, or a type nobody speaks
    }
  }

  private void handshake(Connection c, int type, byte[] payload) {
    if (type == HELLO && c.peerNonce == null && payload.length == 64
        && MessageDigest.isEqual(Arrays.copyOf(payload, 32), networkId)) {
      c.peerNonce = Arrays.copyOfRange(payload, 32, 64);
      byte[] signature = key.sign(transcript(c.outbound ? 'D' : 'L', c.peerNonce, c.ownNonce));
      c.socket.write(frame(AUTH, concat(key.publicKey(), signature)));
      return;
    }
    if (type == AUTH && c.peerNonce != null && payload.length == 96) {
      byte[] peerKey = Arrays.copyOf(payload, 32);
      int index = indexOf(peerKey);
      boolean signed = ValidatorKey.verify(peerKey,
          transcript(c.outbound ? 'L' : 'D', c.ownNonce, c.peerNonce), Arrays.copyOfRange(payload, 32, 96));
      boolean admitted;
      synchronized (this) {
        Long ban = bannedUntil.get(index);
        admitted = index >= 0 && index != self && signed && (ban == null || ban <= millis.getAsLong());
        if (!admitted) {
          refused++;
        } else if (c.dialer != null) {
          c.dialer.attempts = 0;
          c.dialer.lastPeer = index;
        }
      }
      if (admitted) {
        c.peer = index;
        return;
      }
    }
    c.socket.close();
  }

  private void deliver(Connection c, int type, byte[] payload, int frameBytes) {
    synchronized (this) {
      if (!c.take(millis.getAsLong(), frameBytes)) {
        droppedByRate++;
        return;
      }
      if (!markSeenLocked(type, payload)) {
        duplicates++;
        return;
      }
    }
    receiver.receive(c.peer, type, payload);
  }

  /**
   * Writes unless this peer already has maxQueuedBytes written and not yet flushed to the socket
   * (counted here: Vert.x's own writeQueueFull also trips on bursts written from other threads).
   */
  private boolean write(Connection c, Buffer frame) {
    int size = frame.length();
    if (c.queuedBytes.addAndGet(size) > limits.maxQueuedBytes()) {
      c.queuedBytes.addAndGet(-size);
      synchronized (this) {
        droppedByQueue++;
      }
      return false;
    }
    c.socket.write(frame).onComplete(done -> c.queuedBytes.addAndGet(-size));
    return true;
  }

  private byte[] transcript(char role, byte[] signerPeerNonce, byte[] signerOwnNonce) {
    byte[] roleByte = {(byte) role};
    return concat(AUTH_CONTEXT, roleByte, networkId, signerPeerNonce, signerOwnNonce);
  }

  private void markSeen(int type, byte[] payload) {
    synchronized (this) {
      markSeenLocked(type, payload);
    }
  }

  /** True when the message was not seen before. */
  private boolean markSeenLocked(int type, byte[] payload) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    sha256.update((byte) type);
    return seen.put(ByteBuffer.wrap(sha256.digest(payload)), Boolean.TRUE) == null;
  }

  private int indexOf(byte[] publicKey) {
    for (int i = 0; i < validators.size(); i++) {
      if (Arrays.equals(validators.get(i), publicKey)) {
        return i;
      }
    }
    return -1;
  }

  static Buffer frame(int type, byte[] payload) {
    return Buffer.buffer(5 + payload.length).appendInt(1 + payload.length).appendByte((byte) type).appendBytes(payload);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    ByteBuffer out = ByteBuffer.allocate(length);
    for (byte[] part : parts) {
      out.put(part);
    }
    return out.array();
  }

  private static final class Dialer {
    final String host;
    final int port;
    int attempts;
    int lastPeer = -1;
    long timer = -1;

    Dialer(String host, int port) {
      this.host = host;
      this.port = port;
    }
  }

  private static final class Connection {
    final NetSocket socket;
    final Dialer dialer;
    final boolean outbound;
    final byte[] ownNonce;
    final Limits limits;
    byte[] peerNonce;
    volatile int peer = -1;
    int frameLength = -1;
    final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    double messageTokens;
    double byteTokens;
    long lastRefill;

    Connection(NetSocket socket, Dialer dialer, byte[] ownNonce, long now, Limits limits) {
      this.socket = socket;
      this.dialer = dialer;
      this.outbound = dialer != null;
      this.ownNonce = ownNonce;
      this.limits = limits;
      this.messageTokens = limits.messageBurst();
      this.byteTokens = limits.byteBurst();
      this.lastRefill = now;
    }

    /** Token buckets: one message and its bytes, refilled at the configured rates. */
    boolean take(long now, int bytes) {
      double seconds = Math.max(0, now - lastRefill) / 1000.0;
      lastRefill = Math.max(lastRefill, now);
      messageTokens = Math.min(limits.messageBurst(), messageTokens + seconds * limits.messagesPerSecond());
      byteTokens = Math.min(limits.byteBurst(), byteTokens + seconds * limits.bytesPerSecond());
      if (messageTokens < 1 || byteTokens < bytes) {
        return false;
      }
      messageTokens -= 1;
      byteTokens -= bytes;
      return true;
    }
  }
}
