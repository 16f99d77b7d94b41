package dev.ferry.http;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request to send: method, target, headers and body.
 *
 * @param headers header name and value pairs, in order; auth headers are added by the sender
 * @param body the body, or an empty array for none
 */
public record Request(
    String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body) {
  public Request {
    headers = List.copyOf(headers);
  }
}
