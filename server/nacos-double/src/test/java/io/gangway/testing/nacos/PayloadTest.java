package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.nacos.api.grpc.auto.Metadata;
import com.alibaba.nacos.shaded.com.google.protobuf.Any;
import com.alibaba.nacos.shaded.com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written codec against the protoc-generated classes inside nacos-client. */
class PayloadTest {

  @Test
  void parse_bytesOfTheClientsGeneratedPayload_readsEveryField() throws Exception {
    byte[] generated =
        com.alibaba.nacos.api.grpc.auto.Payload.newBuilder()
            .setMetadata(
                Metadata.newBuilder()
                    .setType("ConfigQueryRequest")
                    .setClientIp("10.0.0.1")
                    .putHeaders("accessToken", "t")
                    .putHeaders("app", "gw"))
            .setBody(
                Any.newBuilder()
                    .setTypeUrl("ignored")
                    .setValue(ByteString.copyFromUtf8("{\"a\":1}")))
            .build()
            .toByteArray();

    Payload parsed = Payload.parse(generated);

    assertThat(parsed.type()).isEqualTo("ConfigQueryRequest");
    assertThat(parsed.clientIp()).isEqualTo("10.0.0.1");
    assertThat(parsed.headers()).isEqualTo(Map.of("accessToken", "t", "app", "gw"));
    assertThat(parsed.bodyText()).isEqualTo("{\"a\":1}");
  }

  @Test
  void toBytes_parsedByTheClientsGeneratedPayload_keepsEveryField() throws Exception {
    Payload payload =
        new Payload(
            "ConfigQueryResponse",
            "127.0.0.1",
            Map.of("k", "v"),
            "{\"resultCode\":200}".getBytes(StandardCharsets.UTF_8));

    com.alibaba.nacos.api.grpc.auto.Payload generated =
        com.alibaba.nacos.api.grpc.auto.Payload.parseFrom(payload.toBytes());

    assertThat(generated.getMetadata().getType()).isEqualTo("ConfigQueryResponse");
    assertThat(generated.getMetadata().getClientIp()).isEqualTo("127.0.0.1");
    assertThat(generated.getMetadata().getHeadersMap()).isEqualTo(Map.of("k", "v"));
    assertThat(generated.getBody().getValue().toStringUtf8()).isEqualTo("{\"resultCode\":200}");
  }
}
