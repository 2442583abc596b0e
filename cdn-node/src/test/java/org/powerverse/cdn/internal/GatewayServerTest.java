package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class GatewayServerTest {

  private static boolean bindsWithin(int port, java.time.Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return true;
      } catch (java.io.IOException stillBound) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(20);
      }
    }
  }

  @Test
  void answers503WithRetryAfterWhenEveryReaderSlotIsHeld(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    java.util.List<LmdbBlockstore.Snapshot> held = new java.util.ArrayList<>();
    try (LmdbBlockstore store = LmdbBlockstore.open(dir, 16L << 20, Clock.systemUTC())) {
      GatewayServer server = new GatewayServer(vertx, store, null, new GatewayServer.Listen("127.0.0.1", 0, null, null));
      int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      // Stand-ins for slow downloads: each response in flight holds one read transaction.
      try {
        while (true) {
          held.add(store.snapshot());
        }
      } catch (org.lmdbjava.Env.ReadersFullException full) {
        // every slot is taken now
      }
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> shed = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ipfs/bafkqaaa?format=raw")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(503, shed.statusCode());
      assertEquals("1", shed.headers().firstValue("Retry-After").orElseThrow());
      held.forEach(LmdbBlockstore.Snapshot::close);
      held.clear();
      HttpResponse<String> served = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ipfs/bafkqaaa?format=raw")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, served.statusCode());
      server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      held.forEach(LmdbBlockstore.Snapshot::close);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void serversOnOneFixedPortShareItServeEveryConnectionAndAllStop(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Vertx vertx = Vertx.vertx();
    try (LmdbBlockstore store = LmdbBlockstore.open(dir, 16L << 20, Clock.systemUTC())) {
      GatewayServer server = new GatewayServer(vertx, store, null, new GatewayServer.Listen("127.0.0.1", port, null, null));
      assertEquals(port, server.start(3).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      // A new client per request is a new connection: the shared socket hands them round robin.
      for (int i = 0; i < 6; i++) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // Trustless gateway spec: the identity CID bafkqaaa (empty) is the gateway's probe.
        HttpResponse<byte[]> probe = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ipfs/bafkqaaa?format=raw")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, probe.statusCode(), "connection " + i);
        assertEquals(0, probe.body().length);
        client.close();
      }
      server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      // Every server closed: the port can be bound again. Vert.x closes the shared socket after
      // the last server's close completes, so this polls (bounded) instead of asserting at once.
      assertTrue(bindsWithin(port, java.time.Duration.ofSeconds(10)), "port " + port + " still bound after stop");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
