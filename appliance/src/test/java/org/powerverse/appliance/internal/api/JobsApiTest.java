package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.TestNode;

/** The host benchmark as a job: 202, progress, result kept, fed into the score. */
@Tag("integration")
class JobsApiTest {

  @TempDir static Path data;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(data);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static JsonObject awaitFinal(String id) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      TestNode.Response job = node.get("/api/v1/jobs/" + id);
      assertEquals(200, job.status(), job.body());
      node.assertMatchesContract("getJob", job);
      String state = job.json().getString("state");
      if (state.equals("succeeded") || state.equals("failed") || state.equals("cancelled")) {
        return job.json();
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("job " + id + " did not end within a minute");
  }

  @Test
  void benchmarkRunsAsAJobAndFeedsTheScore() throws Exception {
    TestNode.Response accepted = node.post("/api/v1/host/benchmark", node.adminToken, null);
    assertEquals(202, accepted.status(), accepted.body());
    node.assertMatchesContract("startHostBenchmark", accepted);
    String id = accepted.json().getString("id");
    assertEquals("/api/v1/jobs/" + id, accepted.header("Location"));
    assertEquals("host.benchmark", accepted.json().getString("kind"));

    JsonObject done = awaitFinal(id);
    assertEquals("succeeded", done.getString("state"), done.encode());
    assertEquals(100.0, done.getDouble("percent"));
    JsonObject result = done.getJsonObject("result");
    assertTrue(result.getJsonObject("cpu").getDouble("singleThreadMBps") > 0);
    assertTrue(result.getJsonObject("disk").getDouble("sequentialReadMBps") > 0);

    TestNode.Response latest = node.get("/api/v1/host/benchmark");
    assertEquals(200, latest.status());
    node.assertMatchesContract("getHostBenchmark", latest);
    assertEquals(id, latest.json().getString("jobId"));

    TestNode.Response score = node.get("/api/v1/host/score");
    assertEquals(id, score.json().getString("benchmarkJobId"));
    JsonObject multi = score.json().getJsonArray("parameters").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("name").equals("cpuMultiThreadMBps")).findFirst().orElseThrow();
    assertEquals(result.getJsonObject("cpu").getDouble("multiThreadMBps"), multi.getDouble("value"), 0.001);
    assertNotEquals(0.0, multi.getDouble("points"));

    TestNode.Response list = node.get("/api/v1/jobs?limit=5");
    node.assertMatchesContract("listJobs", list);
    assertEquals(id, list.json().getJsonArray("items").getJsonObject(0).getString("id"));
  }

  @Test
  void cancelledJobEndsCancelled() throws Exception {
    TestNode.Response accepted = node.post("/api/v1/host/benchmark", node.adminToken, null);
    if (accepted.status() == 409) {
      // the other test's benchmark is running: wait for it, then start ours
      awaitFinal(accepted.body().replaceAll(".*job ([0-9A-Z]{26}).*", "$1"));
      accepted = node.post("/api/v1/host/benchmark", node.adminToken, null);
    }
    assertEquals(202, accepted.status(), accepted.body());
    String id = accepted.json().getString("id");
    TestNode.Response cancel = node.post("/api/v1/jobs/" + id + "/cancel", node.adminToken, null);
    assertEquals(200, cancel.status(), cancel.body());
    node.assertMatchesContract("cancelJob", cancel);
    JsonObject done = awaitFinal(id);
    assertTrue(done.getString("state").equals("cancelled") || done.getString("state").equals("succeeded"),
        "a job cancelled so late may already have finished: " + done.encode());
  }
}
