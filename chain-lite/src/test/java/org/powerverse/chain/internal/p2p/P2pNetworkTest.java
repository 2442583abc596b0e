package org.powerverse.chain.internal.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The validator network on loopback: handshake, refusal of outsiders, framing limits, de-dup, rate limits, bans, redial. */
@Tag("integration")
class P2pNetworkTest {

  private static final byte[] NETWORK = new byte[32];
  private static final List<ValidatorKey> KEYS = List.of(key(1), key(2), key(3));
  private static final List<byte[]> SET = KEYS.stream().map(ValidatorKey::publicKey).toList();

  private final Vertx vertx = Vertx.vertx();
  private final List<P2pNetwork> networks = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000);

  record Received(int from, int type, String text) {}

  @AfterEach
  void close() {
    networks.forEach(P2pNetwork::close);
    vertx.close().await();
  }

  private static ValidatorKey key(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[31] = 0x5a;
    return ValidatorKey.fromSeed(seed);
  }

  private P2pNetwork network(ValidatorKey key, byte[] networkId, P2pNetwork.Limits limits, List<Received> inbox) {
    P2pNetwork network = new P2pNetwork(vertx, key, SET, networkId, limits, new Random(7), now::get,
        (from, type, payload) -> inbox.add(new Received(from, type, new String(payload, StandardCharsets.UTF_8))));
    networks.add(network);
    return network;
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void validatorsAuthenticateAndDeliverEachMessageOnce() throws Exception {
    List<Received> inboxA = new CopyOnWriteArrayList<>();
    List<Received> inboxB = new CopyOnWriteArrayList<>();
    P2pNetwork a = network(KEYS.get(0), NETWORK, P2pNetwork.Limits.DEFAULT, inboxA);
    P2pNetwork b = network(KEYS.get(1), NETWORK, P2pNetwork.Limits.DEFAULT, inboxB);
    int portA = a.listen("127.0.0.1", 0).await();
    int portB = b.listen("127.0.0.1", 0).await();
    a.dial(List.of("127.0.0.1:" + portB));
    b.dial(List.of("127.0.0.1:" + portA));
    // Both directions: each dialed the other (broadcast uses the connections a node dialed).
    await(() -> a.dialedValidators().equals(List.of(1)) && b.dialedValidators().equals(List.of(0)));

    assertEquals(1, a.broadcast(16, text("vote")));
    a.broadcast(16, text("vote")); // a re-broadcast: the receiver drops the duplicate
    a.broadcast(17, text("vote")); // same payload, other type: a different message
    a.broadcast(16, text("marker"));
    await(() -> inboxB.contains(new Received(0, 16, "marker")));
    assertEquals(List.of(new Received(0, 16, "vote"), new Received(0, 17, "vote"), new Received(0, 16, "marker")), inboxB);
    assertEquals(1, b.stats().duplicates());

    assertTrue(b.send(0, 18, text("to a")));
    await(() -> inboxA.contains(new Received(1, 18, "to a")));
    assertEquals(List.of(), a.connectedValidators().stream().filter(v -> v != 1).toList());
  }

  @Test
  void refusesPeersOutsideTheValidatorSetAndOfOtherNetworks() throws Exception {
    List<Received> inbox = new CopyOnWriteArrayList<>();
    P2pNetwork a = network(KEYS.get(0), NETWORK, P2pNetwork.Limits.DEFAULT, inbox);
    int port = a.listen("127.0.0.1", 0).await();
    P2pNetwork outsider = network(key(9), NETWORK, P2pNetwork.Limits.DEFAULT, new CopyOnWriteArrayList<>());
    outsider.dial(List.of("127.0.0.1:" + port));
    await(() -> a.stats().refusedHandshakes() >= 1);
    byte[] otherNetwork = new byte[32];
    otherNetwork[0] = 1;
    P2pNetwork stranger = network(KEYS.get(1), otherNetwork, P2pNetwork.Limits.DEFAULT, new CopyOnWriteArrayList<>());
    AtomicBoolean closed = new AtomicBoolean();
    stranger.dial(List.of("127.0.0.1:" + port));
    // A validator key of another chain: its HELLO names another network, so it never gets to AUTH.
    NetSocket raw = vertx.createNetClient().connect(port, "127.0.0.1").await();
    raw.closeHandler(v -> closed.set(true));
    raw.write(P2pNetwork.frame(P2pNetwork.HELLO, new byte[64]).copy().setByte(5, (byte) 1));
    await(closed::get);
    assertEquals(List.of(), a.connectedValidators());
    assertEquals(List.of(), outsider.connectedValidators());
    assertEquals(List.of(), stranger.connectedValidators());
    outsider.broadcast(16, text("let me in"));
    assertEquals(List.of(), inbox);
  }

  @Test
  void dropsConnectionsThatSendOversizedOrUnexpectedFrames() throws Exception {
    P2pNetwork a = network(KEYS.get(0), NETWORK, P2pNetwork.Limits.DEFAULT, new CopyOnWriteArrayList<>());
    int port = a.listen("127.0.0.1", 0).await();
    AtomicBoolean oversizedClosed = new AtomicBoolean();
    NetSocket big = vertx.createNetClient().connect(port, "127.0.0.1").await();
    big.closeHandler(v -> oversizedClosed.set(true));
    big.write(Buffer.buffer().appendInt(1 << 20)); // a megabyte before the handshake
    await(oversizedClosed::get);
    await(() -> a.stats().oversizedFrames() == 1);

    AtomicBoolean earlyClosed = new AtomicBoolean();
    NetSocket early = vertx.createNetClient().connect(port, "127.0.0.1").await();
    early.closeHandler(v -> earlyClosed.set(true));
    early.write(P2pNetwork.frame(16, text("vote before hello")));
    await(earlyClosed::get);
  }

  @Test
  void ratesAboveTheLimitAreDroppedAndBannedPeersAreRefused() throws Exception {
    // One message a second, a burst of five; the test's clock stands still, so nothing refills.
    P2pNetwork.Limits strict = new P2pNetwork.Limits(1 << 20, 1, 5, 1 << 20, 1 << 20, 1 << 20, 5_000, 60_000, 10, 20, 1_000);
    List<Received> inbox = new CopyOnWriteArrayList<>();
    P2pNetwork a = network(KEYS.get(0), NETWORK, strict, inbox);
    P2pNetwork b = network(KEYS.get(1), NETWORK, P2pNetwork.Limits.DEFAULT, new CopyOnWriteArrayList<>());
    int port = a.listen("127.0.0.1", 0).await();
    b.dial(List.of("127.0.0.1:" + port));
    await(() -> b.connectedValidators().equals(List.of(0)) && a.connectedValidators().equals(List.of(1)));
    for (int i = 0; i < 20; i++) {
      b.broadcast(16, text("m" + i));
    }
    await(() -> a.stats().droppedByRate() == 15);
    assertEquals(5, inbox.size());

    a.ban(1, "test");
    await(() -> a.connectedValidators().isEmpty());
    await(() -> a.stats().refusedHandshakes() >= 1); // b redials; a refuses it while the ban lasts
    assertEquals(List.of(), a.connectedValidators());
    now.addAndGet(60_001); // the ban ends
    await(() -> a.connectedValidators().equals(List.of(1)));
  }

  @Test
  void redialsAPeerThatRestarts() throws Exception {
    List<Received> inbox = new CopyOnWriteArrayList<>();
    P2pNetwork a = network(KEYS.get(0), NETWORK, P2pNetwork.Limits.DEFAULT, inbox);
    int port = a.listen("127.0.0.1", 0).await();
    P2pNetwork b = network(KEYS.get(1), NETWORK, P2pNetwork.Limits.DEFAULT, new CopyOnWriteArrayList<>());
    b.dial(List.of("127.0.0.1:" + port));
    await(() -> b.connectedValidators().equals(List.of(0)));
    a.close();
    networks.remove(a);
    await(() -> b.connectedValidators().isEmpty());
    List<Received> inboxAgain = new CopyOnWriteArrayList<>();
    P2pNetwork again = network(KEYS.get(0), NETWORK, P2pNetwork.Limits.DEFAULT, inboxAgain);
    again.listen("127.0.0.1", port).await();
    await(() -> b.connectedValidators().equals(List.of(0)));
    b.broadcast(16, text("back"));
    await(() -> inboxAgain.contains(new Received(1, 16, "back")));
  }

  @Test
  void handshakeSignaturesAreBoundToTheRole() {
    ValidatorKey k = KEYS.get(0);
    byte[] message = text("transcript");
    byte[] signature = k.sign(message);
    assertTrue(ValidatorKey.verify(k.publicKey(), message, signature));
    signature[0] ^= 1;
    assertTrue(!ValidatorKey.verify(k.publicKey(), message, signature));
    assertTrue(!ValidatorKey.verify(new byte[31], message, k.sign(message)));
  }

  /** Waits for a condition with a bound (not a timing assertion: the bound only stops a hang). */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 20 s");
      Thread.sleep(10);
    }
  }
}
