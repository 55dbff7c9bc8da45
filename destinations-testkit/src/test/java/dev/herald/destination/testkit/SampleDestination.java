package dev.herald.destination.testkit;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.Destination;
import dev.herald.destination.api.DestinationContext;
import dev.herald.destination.api.DestinationFactory;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import dev.herald.destination.api.SendResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * A small HTTP destination posting a JSON array, well-behaved unless told to break a promise:
 * block on the answer, call everything delivered, or open its own client and never close it.
 */
final class SampleDestination implements Destination {

  enum Flaw { NONE, BLOCKS, ALWAYS_DELIVERED_AND_LEAKS }

  static DestinationFactory factory(Flaw flaw) {
    return new DestinationFactory() {
      @Override public String type() { return "sample"; }

      @Override public ConfigSpec configSpec() {
        return ConfigSpec.builder().required("url", ConfigSpec.Type.STRING, "where to post").build();
      }

      @Override public Destination create(DestinationContext context) {
        return new SampleDestination(context, flaw);
      }
    };
  }

  private final DestinationContext context;
  private final Flaw flaw;
  private final String url;
  private WebClient client;

  private SampleDestination(DestinationContext context, Flaw flaw) {
    this.context = context;
    this.flaw = flaw;
    this.url = context.config().getString("url");
    // Made in create(), outside the runner's verticle, Vert.x cannot close this client on undeploy.
    if (flaw == Flaw.ALWAYS_DELIVERED_AND_LEAKS) client = WebClient.create(context.vertx());
  }

  @Override
  public Future<Void> start() {
    if (client == null) client = context.webClient();
    return Future.succeededFuture();
  }

  @Override
  public Limits limits() {
    return new Limits(50, 64 * 1024, true);
  }

  @Override
  public Future<SendResult> send(List<Event> batch) {
    Buffer body = Buffer.buffer("[");
    for (int i = 0; i < batch.size(); i++) body.appendString(i == 0 ? "" : ",").appendBuffer(batch.get(i).payloadBytes());
    body.appendString("]");
    if (flaw == Flaw.BLOCKS) return Future.succeededFuture(classify(postBlocking(body)));
    return client.postAbs(url).timeout(3_000).sendBuffer(body)
        .map(response -> flaw == Flaw.ALWAYS_DELIVERED_AND_LEAKS ? SendResult.delivered() : classify(response.statusCode()))
        .otherwise(e -> SendResult.retry(e.toString(), null));
  }

  private int postBlocking(Buffer body) {
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(URI.create(url))
          .timeout(java.time.Duration.ofSeconds(3)).POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes())).build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return 0;
    }
  }

  private static SendResult classify(int status) {
    if (status >= 200 && status < 300) return SendResult.delivered();
    if (status >= 400 && status < 500) return SendResult.rejected("answered " + status, status, null);
    return SendResult.retry("answered " + status, null);
  }
}
