package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire protocol without nacos-client: a plain grpc-java channel speaks Payload messages, so the
 * acceptor's answers (connection check, unknown types, setup ack, push and ack) are pinned down.
 */
class NacosDoubleProtocolTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private NacosDouble nacos;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    nacos = NacosDouble.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", nacos.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    nacos.close();
  }

  @Test
  void serverCheck_anyConnection_returnsConnectionIdAndAbilityNegotiation() throws Exception {
    JsonNode response = call("ServerCheckRequest", Json.object(), "ServerCheckResponse");

    assertThat(response.get("resultCode").asInt()).isEqualTo(200);
    assertThat(response.get("connectionId").asText()).matches("\\d+_127\\.0\\.0\\.1_\\d+");
    assertThat(response.get("supportAbilityNegotiation").asBoolean()).isTrue();
  }

  @Test
  void request_beforeConnectionSetup_isUnregistered() throws Exception {
    JsonNode response = call("ConfigQueryRequest", configKey("a.yaml"), "ErrorResponse");

    assertThat(response.get("errorCode").asInt()).isEqualTo(301);
    assertThat(response.get("message").asText()).isEqualTo("Connection is unregistered.");
  }

  @Test
  void request_unknownType_noHandlerAndRecorded() throws Exception {
    JsonNode response = call("LockOperationRequest", Json.object(), "ErrorResponse");

    assertThat(response.get("errorCode").asInt()).isEqualTo(302);
    assertThat(nacos.unhandledRequests()).containsExactly("LockOperationRequest");
  }

  @Test
  void connectionSetup_withAbilityTable_serverAcksAndPushesConfigChanges() throws Exception {
    BlockingQueue<Payload> fromServer = new LinkedBlockingQueue<>();
    StreamObserver<Payload> toServer = openStream(fromServer);
    ObjectNode setup = Json.object();
    setup.put("clientVersion", "raw-test");
    setup.putObject("abilityTable");
    toServer.onNext(payload("ConnectionSetupRequest", setup));

    Payload ack = Await.next(fromServer, WAIT, "SetupAckRequest", p -> true);
    assertThat(ack.type()).isEqualTo("SetupAckRequest");
    assertThat(Json.parse(ack.body()).get("abilityTable").get("fuzzyWatch").asBoolean()).isFalse();

    ObjectNode listen = Json.object();
    ObjectNode context = listen.putArray("configListenContexts").addObject();
    context.put("dataId", "pushed.yaml");
    context.put("group", "G");
    context.put("tenant", "");
    context.put("md5", "");
    listen.put("listen", true);
    JsonNode listened = call("ConfigBatchListenRequest", listen, "ConfigChangeBatchListenResponse");
    assertThat(listened.get("changedConfigs")).isEmpty();

    nacos.publishConfig("", "G", "pushed.yaml", "x");

    Payload push = Await.next(fromServer, WAIT, "ConfigChangeNotifyRequest", p -> true);
    assertThat(push.type()).isEqualTo("ConfigChangeNotifyRequest");
    JsonNode notify = Json.parse(push.body());
    assertThat(notify.get("dataId").asText()).isEqualTo("pushed.yaml");
    assertThat(notify.get("tenant").isNull()).isTrue(); // listened with a blank tenant
    ObjectNode ackBody = Json.ok();
    ackBody.put("requestId", notify.get("requestId").asText());
    toServer.onNext(payload("ConfigChangeNotifyResponse", ackBody));
    toServer.onCompleted();
  }

  @Test
  void configQuery_missingConfig_isConfigNotFound() throws Exception {
    openStream(new LinkedBlockingQueue<>())
        .onNext(payload("ConnectionSetupRequest", Json.object()));
    Await.until(WAIT, "registered", () -> nacos.connectionCount() == 1);

    JsonNode response =
        call("ConfigQueryRequest", configKey("missing.yaml"), "ConfigQueryResponse");

    assertThat(response.get("resultCode").asInt()).isEqualTo(500);
    assertThat(response.get("errorCode").asInt()).isEqualTo(300);
    assertThat(response.get("message").asText()).isEqualTo("config data not exist");
  }

  private JsonNode call(String type, ObjectNode body, String expectedType) throws Exception {
    Payload response =
        ClientCalls.blockingUnaryCall(
            channel, GrpcTransport.REQUEST, CallOptions.DEFAULT, payload(type, body));
    assertThat(response.type()).isEqualTo(expectedType);
    return Json.parse(response.body());
  }

  private StreamObserver<Payload> openStream(BlockingQueue<Payload> fromServer) {
    return ClientCalls.asyncBidiStreamingCall(
        channel.newCall(GrpcTransport.BI_STREAM, CallOptions.DEFAULT),
        new StreamObserver<>() {
          @Override
          public void onNext(Payload value) {
            fromServer.add(value);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
  }

  private static ObjectNode configKey(String dataId) {
    ObjectNode body = Json.object();
    body.put("dataId", dataId);
    body.put("group", "G");
    body.put("tenant", "");
    return body;
  }

  private static Payload payload(String type, ObjectNode body) {
    return new Payload(type, "127.0.0.1", Map.of(), Json.bytes(body));
  }
}
