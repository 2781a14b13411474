package io.gangway.server.devtools;

import static io.gangway.server.devtools.WebSocketProtocolException.MESSAGE_TOO_BIG;
import static io.gangway.server.devtools.WebSocketProtocolException.PROTOCOL_ERROR;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * RFC 6455 section 5 framing on the server side: reads masked client frames and writes unmasked
 * server frames, each as a single frame with the shortest length encoding. No extensions are
 * negotiated, so reserved bits must be zero. Not thread-safe: it belongs to the connection's
 * thread.
 */
final class WebSocketCodec {

  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  private static final int MAX_CONTROL_PAYLOAD = 125;

  /** One frame, already unmasked. */
  @SuppressWarnings("ArrayRecordComponent") // frames are read and written, never compared or hashed
  record Frame(boolean fin, int opcode, byte[] payload) {}

  private final InputStream in;
  private final OutputStream out;
  private final int maxPayload;

  WebSocketCodec(InputStream in, OutputStream out, int maxPayload) {
    this.in = in;
    this.out = out;
    this.maxPayload = maxPayload;
  }

  /**
   * Reads the next frame.
   *
   * @return the frame, or {@code null} if the peer closed the TCP connection between frames
   * @throws EOFException if the peer closed the TCP connection inside a frame
   */
  Frame readFrame() throws IOException, WebSocketProtocolException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    int second = readByte();
    if ((first & 0x70) != 0) {
      throw new WebSocketProtocolException(PROTOCOL_ERROR, "reserved bits set");
    }
    if ((second & 0x80) == 0) {
      throw new WebSocketProtocolException(PROTOCOL_ERROR, "client frame not masked");
    }
    boolean fin = (first & 0x80) != 0;
    int opcode = first & 0x0F;
    long length = readLength(second & 0x7F);
    checkHeader(fin, opcode, length);
    byte[] mask = readExactly(4);
    byte[] payload = readExactly((int) length);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    return new Frame(fin, opcode, payload);
  }

  /** Writes one final, unmasked frame and flushes it. */
  void writeFrame(int opcode, byte[] payload) throws IOException {
    out.write(0x80 | opcode);
    int length = payload.length;
    if (length < 126) {
      out.write(length);
    } else if (length <= 0xFFFF) {
      out.write(126);
      out.write(length >>> 8);
      out.write(length);
    } else {
      out.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) length >>> shift));
      }
    }
    out.write(payload);
    out.flush();
  }

  private long readLength(int shortLength) throws IOException, WebSocketProtocolException {
    if (shortLength == 126) {
      return ((long) readByte() << 8) | readByte();
    }
    if (shortLength < 126) {
      return shortLength;
    }
    long length = 0;
    for (int i = 0; i < 8; i++) {
      length = (length << 8) | readByte();
    }
    if (length < 0) {
      throw new WebSocketProtocolException(PROTOCOL_ERROR, "64-bit length with top bit set");
    }
    return length;
  }

  private void checkHeader(boolean fin, int opcode, long length) throws WebSocketProtocolException {
    boolean known = opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
    if (!known) {
      throw new WebSocketProtocolException(PROTOCOL_ERROR, "unknown opcode " + opcode);
    }
    if (isControl(opcode) && (!fin || length > MAX_CONTROL_PAYLOAD)) {
      // RFC 6455 section 5.5: control frames are short and never fragmented.
      throw new WebSocketProtocolException(PROTOCOL_ERROR, "fragmented or oversized control frame");
    }
    if (length > maxPayload) {
      throw new WebSocketProtocolException(
          MESSAGE_TOO_BIG, "frame exceeds " + maxPayload + " bytes");
    }
  }

  private static boolean isControl(int opcode) {
    return (opcode & 0x8) != 0;
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed inside WebSocket frame");
    }
    return b;
  }

  private byte[] readExactly(int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new EOFException("connection closed inside WebSocket frame");
    }
    return bytes;
  }
}
