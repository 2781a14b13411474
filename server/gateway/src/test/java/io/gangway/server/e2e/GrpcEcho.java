package io.gangway.server.e2e;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** {@code GrpcEcho} is a real grpc-java server with one unary method, {@code gangway.Echo/Say}. */
final class GrpcEcho {

  static final MethodDescriptor<String, String> SAY =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("gangway.Echo/Say")
          .setRequestMarshaller(new Utf8())
          .setResponseMarshaller(new Utf8())
          .build();

  private GrpcEcho() {}

  static Server start() throws IOException {
    return start(0);
  }

  /** Starts on {@code port} of 127.0.0.1 ({@code 0}: any free port). */
  static Server start(int port) throws IOException {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("gangway.Echo")
            .addMethod(
                SAY,
                ServerCalls.asyncUnaryCall(
                    (req, obs) -> {
                      obs.onNext("grpc-echo:" + req);
                      obs.onCompleted();
                    }))
            .build();
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(service)
        .build()
        .start();
  }

  /**
   * Runs the server for {@code bench/data-plane.sh} (its gRPC backend): {@code GrpcEcho PORT};
   * prints {@code READY} once it listens and serves until killed.
   */
  public static void main(String[] args) throws Exception {
    Server server = start(Integer.parseInt(args[0]));
    System.out.println("READY " + server.getPort());
    server.awaitTermination();
  }

  static String call(Channel channel, String message) {
    return ClientCalls.blockingUnaryCall(
        channel, SAY, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), message);
  }

  private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
