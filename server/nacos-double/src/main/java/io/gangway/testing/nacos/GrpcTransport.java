package io.gangway.testing.nacos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK gRPC port (main port + 1000) with the two services of {@code nacos_grpc_service.proto}.
 * As the server's {@code AddressTransportFilter} does, each HTTP/2 transport gets a connection id
 * {@code <millis>_<remoteIp>_<remotePort>}; its termination unregisters the connection. One start,
 * one stop; {@link NacosDouble} builds a new instance per restart.
 */
final class GrpcTransport {

  private static final Logger logger = LoggerFactory.getLogger(GrpcTransport.class);

  static final MethodDescriptor<Payload, Payload> REQUEST =
      MethodDescriptor.<Payload, Payload>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName("Request", "request"))
          .setRequestMarshaller(Payload.MARSHALLER)
          .setResponseMarshaller(Payload.MARSHALLER)
          .build();

  static final MethodDescriptor<Payload, Payload> BI_STREAM =
      MethodDescriptor.<Payload, Payload>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(
              MethodDescriptor.generateFullMethodName("BiRequestStream", "requestBiStream"))
          .setRequestMarshaller(Payload.MARSHALLER)
          .setResponseMarshaller(Payload.MARSHALLER)
          .build();

  /** Server abilities sent in {@code SetupAckRequest}: none of the 3.x extras is modelled. */
  private static final Map<String, Boolean> SERVER_ABILITIES =
      Map.of(
          "supportPersistentInstanceByGrpc", false,
          "fuzzyWatch", false,
          "lock", false,
          "mcp", false);

  private static final Attributes.Key<String> CONNECTION_ID_ATTR =
      Attributes.Key.create("nacos-double.connection-id");
  private static final Context.Key<String> CONNECTION_ID =
      Context.key("nacos-double.connection-id");

  private final RpcDispatcher dispatcher;
  private final Connections connections;
  private final Set<String> unhandled;
  private final ExecutorService executor;
  private @Nullable Server server;
  private @Nullable EventLoopGroup boss;
  private @Nullable EventLoopGroup workers;

  GrpcTransport(
      RpcDispatcher dispatcher,
      Connections connections,
      Set<String> unhandled,
      ExecutorService executor) {
    this.dispatcher = dispatcher;
    this.connections = connections;
    this.unhandled = unhandled;
    this.executor = executor;
  }

  void start(int port) throws IOException {
    ServerServiceDefinition request =
        ServerServiceDefinition.builder("Request")
            .addMethod(REQUEST, ServerCalls.asyncUnaryCall(this::request))
            .build();
    ServerServiceDefinition biStream =
        ServerServiceDefinition.builder("BiRequestStream")
            .addMethod(BI_STREAM, ServerCalls.asyncBidiStreamingCall(this::biStream))
            .build();
    ServerInterceptor connectionContext = new ConnectionContext();
    // Own event loops: shutting them down is what guarantees the listening socket is closed when
    // stop() returns (the shared default loops close it asynchronously, after awaitTermination).
    boss = new NioEventLoopGroup(1, executor);
    workers = new NioEventLoopGroup(2, executor);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port))
            .channelType(NioServerSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .withOption(ChannelOption.SO_REUSEADDR, true)
            .executor(executor)
            .maxInboundMessageSize(10 * 1024 * 1024)
            .permitKeepAliveTime(1, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .addTransportFilter(new ConnectionIds())
            .addService(ServerInterceptors.intercept(request, connectionContext))
            .addService(ServerInterceptors.intercept(biStream, connectionContext));
    try {
      server = builder.build().start();
    } catch (IOException | RuntimeException e) {
      stop(); // release the event loops of a failed bind
      throw e;
    }
  }

  /** Closes every transport at once, as a killed server would; waits up to 5 s. */
  void stop() {
    Server s = server;
    server = null;
    if (s != null) {
      s.shutdownNow();
    }
    // Closing the loops closes every channel, including connections still negotiating HTTP/2,
    // which the server alone would wait for until their handshake times out.
    for (EventLoopGroup group : new EventLoopGroup[] {boss, workers}) {
      if (group != null) {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      }
    }
    boss = null;
    workers = null;
    if (s != null) {
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void request(Payload payload, StreamObserver<Payload> responses) {
    logger.debug("[{}] <- {}", CONNECTION_ID.get(), payload.type());
    responses.onNext(dispatcher.dispatch(payload, CONNECTION_ID.get()));
    responses.onCompleted();
  }

  private StreamObserver<Payload> biStream(StreamObserver<Payload> toClient) {
    String connectionId = CONNECTION_ID.get();
    return new StreamObserver<>() {
      @Override
      public void onNext(Payload payload) {
        onStreamPayload(connectionId, payload, toClient);
      }

      @Override
      public void onError(Throwable t) {
        complete(toClient);
      }

      @Override
      public void onCompleted() {
        complete(toClient);
      }
    };
  }

  private void onStreamPayload(
      String connectionId, Payload payload, StreamObserver<Payload> toClient) {
    JsonNode body;
    try {
      body = Json.parse(payload.body());
    } catch (IOException e) {
      logger.warn("[{}] unparsable bi-stream payload {}", connectionId, payload);
      return;
    }
    if ("ConnectionSetupRequest".equals(payload.type())) {
      Map<String, String> labels = new HashMap<>();
      JsonNode labelNode = body.path("labels");
      for (Iterator<Map.Entry<String, JsonNode>> it = labelNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> label = it.next();
        labels.put(label.getKey(), label.getValue().asText());
      }
      connections.register(
          new Connections.Meta(
              connectionId, payload.clientIp(), Json.text(body, "clientVersion"), labels),
          toClient);
      // The server answers a client that sent an ability table (even empty) with its own table.
      if (body.hasNonNull("abilityTable")) {
        ObjectNode ack = Json.object();
        ObjectNode abilities = ack.putObject("abilityTable");
        SERVER_ABILITIES.forEach(abilities::put);
        ack.put("module", "internal");
        connections.sendNoAck(connectionId, "SetupAckRequest", ack);
      }
    } else if (payload.type().endsWith("Response")) {
      connections.acknowledge(connectionId, payload, body);
    } else {
      unhandled.add("bi-stream:" + payload.type());
      logger.warn("UNHANDLED bi-stream payload from {}: {}", connectionId, payload);
    }
  }

  private static void complete(StreamObserver<Payload> toClient) {
    if (toClient instanceof ServerCallStreamObserver<?> call && call.isCancelled()) {
      return;
    }
    synchronized (toClient) {
      try {
        toClient.onCompleted();
      } catch (RuntimeException e) {
        // already closed
      }
    }
  }

  /** Names each transport and unregisters its connection when it ends. */
  private final class ConnectionIds extends ServerTransportFilter {
    @Override
    public Attributes transportReady(Attributes attrs) {
      SocketAddress remote = attrs.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      String address =
          remote instanceof InetSocketAddress inet
              ? inet.getAddress().getHostAddress() + "_" + inet.getPort()
              : String.valueOf(remote);
      String id = System.currentTimeMillis() + "_" + address;
      return attrs.toBuilder().set(CONNECTION_ID_ATTR, id).build();
    }

    @Override
    public void transportTerminated(Attributes attrs) {
      String id = attrs.get(CONNECTION_ID_ATTR);
      if (id != null) {
        connections.unregister(id);
      }
    }
  }

  /** Exposes the transport's connection id to the service methods. */
  private static final class ConnectionContext implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      String id = call.getAttributes().get(CONNECTION_ID_ATTR);
      Context context = Context.current().withValue(CONNECTION_ID, id == null ? "" : id);
      return Contexts.interceptCall(context, call, headers, next);
    }
  }
}
