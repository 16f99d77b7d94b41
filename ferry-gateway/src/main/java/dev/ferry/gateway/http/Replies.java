package dev.ferry.gateway.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writing answers: whole bodies of known length, written without blocking. */
final class Replies {
  static final String JSON_TYPE = "application/json";

  private Replies() {}

  static void send(Response response, Callback callback, int status, String type, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** The message of a 500: what went wrong is in the gateway's log, not in the answer. */
  static final String INTERNAL = "the gateway failed: see its log";

  /** Answers 500 to a request the gateway failed on (after logging why). */
  static void internalError(Request request, Response response, Callback callback) {
    refuse(request, response, callback, 500, "internal", INTERNAL);
  }

  /** Refuses a request as a whole with a JSON error (telling the client to close if need be). */
  static void refuse(
      Request request,
      Response response,
      Callback callback,
      int status,
      String rule,
      String message) {
    closeIfBodyUnread(request, response);
    send(response, callback, status, JSON_TYPE, Answers.error(rule, message));
  }

  /**
   * Before an answer that leaves the request's body (partly) unread: such a connection cannot carry
   * another request (Jetty closes it after the answer), so the client is told to close it rather
   * than finding out on its next request. Without this, a client sending the next request on the
   * kept-alive connection gets no answer at all.
   */
  static void closeIfBodyUnread(Request request, Response response) {
    if (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
  }
}
