package io.gangway.server.devtools;

import static io.gangway.server.devtools.WebSocketCodec.BINARY;
import static io.gangway.server.devtools.WebSocketCodec.CLOSE;
import static io.gangway.server.devtools.WebSocketCodec.CONTINUATION;
import static io.gangway.server.devtools.WebSocketCodec.PING;
import static io.gangway.server.devtools.WebSocketCodec.PONG;
import static io.gangway.server.devtools.WebSocketCodec.TEXT;
import static io.gangway.server.devtools.WebSocketProtocolException.INVALID_PAYLOAD;
import static io.gangway.server.devtools.WebSocketProtocolException.MESSAGE_TOO_BIG;
import static io.gangway.server.devtools.WebSocketProtocolException.PROTOCOL_ERROR;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The echo side of an upgraded connection (RFC 6455): reassembles fragmented messages, answers text
 * with {@code "NAME:" + text}, binary with the same bytes, ping with pong and close with close.
 * Runs on the connection's thread until the peer closes or breaks the protocol.
 */
final class WebSocketSession {

  /** Messages are reassembled in memory, so they are capped (close code 1009 beyond). */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int NO_MESSAGE = -1;

  private final WebSocketCodec codec;
  private final byte[] textPrefix;
  private ByteArrayOutputStream message = new ByteArrayOutputStream();
  private int messageOpcode = NO_MESSAGE;

  WebSocketSession(InputStream in, OutputStream out, String backend) {
    this.codec = new WebSocketCodec(in, out, MAX_MESSAGE_BYTES);
    this.textPrefix = (backend + ":").getBytes(UTF_8);
  }

  /** The {@code Sec-WebSocket-Accept} value for a client's {@code Sec-WebSocket-Key}. */
  static String acceptKey(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key.trim() + ACCEPT_GUID).getBytes(US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-1", e);
    }
  }

  /** RFC 6455 section 4.1: the key is 16 random bytes in base64. */
  static boolean isValidKey(String key) {
    try {
      return Base64.getDecoder().decode(key.trim()).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Echoes until the conversation ends; the caller then closes the socket. */
  void run() throws IOException {
    try {
      WebSocketCodec.Frame frame = codec.readFrame();
      while (frame != null && handle(frame)) {
        frame = codec.readFrame();
      }
    } catch (WebSocketProtocolException e) {
      codec.writeFrame(CLOSE, closePayload(e.closeCode()));
    }
  }

  /** Returns whether to keep reading. */
  private boolean handle(WebSocketCodec.Frame frame)
      throws IOException, WebSocketProtocolException {
    switch (frame.opcode()) {
      case PING -> codec.writeFrame(PONG, frame.payload());
      case PONG -> {
        // Unsolicited pongs are allowed as heartbeats and need no answer.
      }
      case CLOSE -> {
        codec.writeFrame(CLOSE, closeReply(frame.payload()));
        return false; // the server closes TCP first (RFC 6455 section 7.1.1)
      }
      default -> onDataFrame(frame);
    }
    return true;
  }

  private void onDataFrame(WebSocketCodec.Frame frame)
      throws IOException, WebSocketProtocolException {
    if (frame.opcode() == CONTINUATION) {
      if (messageOpcode == NO_MESSAGE) {
        throw new WebSocketProtocolException(PROTOCOL_ERROR, "continuation without a message");
      }
    } else if (messageOpcode != NO_MESSAGE) {
      throw new WebSocketProtocolException(PROTOCOL_ERROR, "new message inside a fragmented one");
    } else {
      messageOpcode = frame.opcode();
    }
    if (message.size() + (long) frame.payload().length > MAX_MESSAGE_BYTES) {
      throw new WebSocketProtocolException(MESSAGE_TOO_BIG, "message too big");
    }
    message.writeBytes(frame.payload());
    if (frame.fin()) {
      byte[] payload = message.toByteArray();
      int opcode = messageOpcode;
      message = new ByteArrayOutputStream(); // a fresh buffer, so one big message is not retained
      messageOpcode = NO_MESSAGE;
      echo(opcode, payload);
    }
  }

  private void echo(int opcode, byte[] payload) throws IOException, WebSocketProtocolException {
    if (opcode == BINARY) {
      codec.writeFrame(BINARY, payload);
      return;
    }
    requireUtf8(payload);
    byte[] reply = new byte[textPrefix.length + payload.length];
    System.arraycopy(textPrefix, 0, reply, 0, textPrefix.length);
    System.arraycopy(payload, 0, reply, textPrefix.length, payload.length);
    codec.writeFrame(TEXT, reply);
  }

  /** Echoes the peer's status code, as RFC 6455 section 5.5.1 suggests; the reason is dropped. */
  private static byte[] closeReply(byte[] payload) throws WebSocketProtocolException {
    if (payload.length == 0) {
      return payload;
    }
    if (payload.length == 1) {
      throw new WebSocketProtocolException(PROTOCOL_ERROR, "one-byte close payload");
    }
    int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    if (!isValidCloseCode(code)) {
      throw new WebSocketProtocolException(PROTOCOL_ERROR, "invalid close code " + code);
    }
    requireUtf8(ByteBuffer.wrap(payload, 2, payload.length - 2));
    return closePayload(code);
  }

  /** Codes a peer may send (RFC 6455 section 7.4); 1005, 1006 and 1015 are local-only. */
  private static boolean isValidCloseCode(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1011)
        || (code >= 3000 && code <= 4999);
  }

  private static byte[] closePayload(int code) {
    return new byte[] {(byte) (code >>> 8), (byte) code};
  }

  private static void requireUtf8(byte[] bytes) throws WebSocketProtocolException {
    requireUtf8(ByteBuffer.wrap(bytes));
  }

  private static void requireUtf8(ByteBuffer bytes) throws WebSocketProtocolException {
    try {
      UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes);
    } catch (CharacterCodingException e) {
      throw new WebSocketProtocolException(INVALID_PAYLOAD, "text is not valid UTF-8");
    }
  }
}
