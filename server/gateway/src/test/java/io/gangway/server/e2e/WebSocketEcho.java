package io.gangway.server.e2e;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code WebSocketEcho} holds what the end-to-end tests need to keep a WebSocket open across a
 * config edit and check it still echoes: a listener that collects each whole text message.
 */
final class WebSocketEcho {

  private WebSocketEcho() {}

  /** Returns a listener that adds every complete text message to {@code into}. */
  static WebSocket.Listener collector(LinkedBlockingQueue<String> into) {
    return new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          into.add(partial.toString());
          partial.setLength(0);
        }
        ws.request(1);
        return CompletableFuture.completedFuture(null);
      }
    };
  }
}
