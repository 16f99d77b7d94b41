package dev.ferry.http.auth;

import java.io.IOException;
import java.util.Map;

/** Credentials for the target API, added to every request. Implementations are thread-safe. */
public interface Auth {

  /** Headers that authorize the next request. May block to fetch or refresh a token. */
  Map<String, String> headers() throws IOException;

  /**
   * Called after the target answered 401. Returns true when the credentials were renewed, so the
   * request is worth sending once more.
   */
  default boolean renewAfterUnauthorized() {
    return false;
  }

  static Auth none() {
    return Map::of;
  }
}
