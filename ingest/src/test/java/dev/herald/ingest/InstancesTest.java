package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The launcher deploys one instance per core from a supplier, all over one log and one shared state. */
class InstancesTest extends IngestTestBase {

  @Test
  void severalInstancesAppendToOneLog() throws Exception {
    List<IngestVerticle> instances = new CopyOnWriteArrayList<>();
    await(vertx.deployVerticle(() -> {
      IngestVerticle instance = new IngestVerticle(options(), log, state);
      instances.add(instance);
      return instance;
    }, new DeploymentOptions().setInstances(3)));
    assertEquals(3, instances.size());
    // Port 0 draws a port per instance; with a fixed port they share it. Each one serves.
    for (IngestVerticle instance : instances) {
      WebClient direct = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(instance.actualPort()));
      try {
        for (int i = 0; i < 10; i++) {
          JsonObject body = new JsonObject().put("batch", new JsonArray().add(track("u" + i, "E" + i).put("type", "track")));
          assertEquals(200, await(direct.post("/v1/batch").putHeader("Authorization", basic(WEB_KEY))
              .sendJsonObject(body)).statusCode());
        }
      } finally {
        direct.close();
      }
    }
    assertEquals(30, readLog().size());

    // They share the dedup memory: a messageId accepted by one is a duplicate at another.
    int duplicates = 0;
    for (IngestVerticle instance : instances) {
      WebClient direct = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(instance.actualPort()));
      try {
        duplicates += await(direct.post("/v1/track").putHeader("Authorization", basic(WEB_KEY))
            .sendJsonObject(track("u", "E").put("messageId", "everywhere"))).bodyAsJsonObject().getInteger("duplicates");
      } finally {
        direct.close();
      }
    }
    assertEquals(2, duplicates);
    assertEquals(31, readLog().size());
  }
}
