package io.gangway.testing.nacos;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Nacos gRPC message, encoded by hand after {@code
 * api/src/main/proto/nacos_grpc_service.proto}:
 *
 * <pre>
 * message Metadata { string type = 3; string clientIp = 8; map&lt;string, string&gt; headers = 7; }
 * message Payload  { Metadata metadata = 2; google.protobuf.Any body = 3; }
 * </pre>
 *
 * <p>The {@code Any} carries no type URL; its {@code value} is the JSON of the request or response
 * object, and {@code Metadata.type} is that object's simple class name (e.g. {@code
 * ConfigQueryRequest}). Immutable.
 */
final class Payload {

  /** gRPC marshaller for both Nacos services. */
  static final MethodDescriptor.Marshaller<Payload> MARSHALLER = new Marshaller();

  private static final int PAYLOAD_METADATA = 2;
  private static final int PAYLOAD_BODY = 3;
  private static final int METADATA_TYPE = 3;
  private static final int METADATA_HEADERS = 7;
  private static final int METADATA_CLIENT_IP = 8;
  private static final int MAP_KEY = 1;
  private static final int MAP_VALUE = 2;
  private static final int ANY_VALUE = 2;

  private final String type;
  private final String clientIp;
  private final Map<String, String> headers;
  private final byte[] body;

  Payload(String type, String clientIp, Map<String, String> headers, byte[] body) {
    this.type = requireNonNull(type, "type");
    this.clientIp = requireNonNull(clientIp, "clientIp");
    this.headers = Map.copyOf(headers);
    this.body = body.clone();
  }

  String type() {
    return type;
  }

  String clientIp() {
    return clientIp;
  }

  /** Request headers as sent in {@code Metadata.headers} (the client strips them from the JSON). */
  Map<String, String> headers() {
    return headers;
  }

  byte[] body() {
    return body.clone();
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  byte[] toBytes() {
    try {
      ByteArrayOutputStream metadata = new ByteArrayOutputStream();
      CodedOutputStream m = CodedOutputStream.newInstance(metadata);
      m.writeString(METADATA_TYPE, type);
      for (Map.Entry<String, String> header : headers.entrySet()) {
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        CodedOutputStream e = CodedOutputStream.newInstance(entry);
        e.writeString(MAP_KEY, header.getKey());
        e.writeString(MAP_VALUE, header.getValue());
        e.flush();
        m.writeByteArray(METADATA_HEADERS, entry.toByteArray());
      }
      if (!clientIp.isEmpty()) {
        m.writeString(METADATA_CLIENT_IP, clientIp);
      }
      m.flush();

      ByteArrayOutputStream any = new ByteArrayOutputStream();
      CodedOutputStream a = CodedOutputStream.newInstance(any);
      a.writeByteArray(ANY_VALUE, body);
      a.flush();

      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      CodedOutputStream p = CodedOutputStream.newInstance(payload);
      p.writeByteArray(PAYLOAD_METADATA, metadata.toByteArray());
      p.writeByteArray(PAYLOAD_BODY, any.toByteArray());
      p.flush();
      return payload.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    }
  }

  static Payload parse(byte[] bytes) throws IOException {
    String type = "";
    String clientIp = "";
    Map<String, String> headers = new LinkedHashMap<>();
    byte[] body = new byte[0];
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == PAYLOAD_METADATA && isLengthDelimited(tag)) {
        CodedInputStream m = CodedInputStream.newInstance(in.readByteArray());
        for (int mt = m.readTag(); mt != 0; mt = m.readTag()) {
          int mf = WireFormat.getTagFieldNumber(mt);
          if (mf == METADATA_TYPE && isLengthDelimited(mt)) {
            type = m.readString();
          } else if (mf == METADATA_CLIENT_IP && isLengthDelimited(mt)) {
            clientIp = m.readString();
          } else if (mf == METADATA_HEADERS && isLengthDelimited(mt)) {
            readMapEntry(m.readByteArray(), headers);
          } else {
            m.skipField(mt);
          }
        }
      } else if (field == PAYLOAD_BODY && isLengthDelimited(tag)) {
        CodedInputStream a = CodedInputStream.newInstance(in.readByteArray());
        for (int at = a.readTag(); at != 0; at = a.readTag()) {
          int af = WireFormat.getTagFieldNumber(at);
          if (af == ANY_VALUE && isLengthDelimited(at)) {
            body = a.readByteArray();
          } else {
            a.skipField(at); // type_url (field 1): Nacos never sets it
          }
        }
      } else {
        in.skipField(tag);
      }
    }
    return new Payload(type, clientIp, headers, body);
  }

  private static void readMapEntry(byte[] bytes, Map<String, String> into) throws IOException {
    String key = "";
    String value = "";
    CodedInputStream e = CodedInputStream.newInstance(bytes);
    for (int t = e.readTag(); t != 0; t = e.readTag()) {
      int f = WireFormat.getTagFieldNumber(t);
      if (f == MAP_KEY && isLengthDelimited(t)) {
        key = e.readString();
      } else if (f == MAP_VALUE && isLengthDelimited(t)) {
        value = e.readString();
      } else {
        e.skipField(t);
      }
    }
    into.put(key, value);
  }

  private static boolean isLengthDelimited(int tag) {
    return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  @Override
  public String toString() {
    return "Payload{type=" + type + ", clientIp=" + clientIp + ", body=" + bodyText() + "}";
  }

  private static final class Marshaller implements MethodDescriptor.Marshaller<Payload> {
    @Override
    public InputStream stream(Payload value) {
      return new ByteArrayInputStream(value.toBytes());
    }

    @Override
    public Payload parse(InputStream stream) {
      try {
        return Payload.parse(stream.readAllBytes());
      } catch (IOException e) {
        throw Status.INTERNAL
            .withDescription("malformed Nacos Payload")
            .withCause(e)
            .asRuntimeException();
      }
    }
  }
}
