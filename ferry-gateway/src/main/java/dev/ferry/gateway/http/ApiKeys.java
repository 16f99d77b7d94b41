package dev.ferry.gateway.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks {@code Authorization: Bearer KEY} against the configured keys. Only SHA-256 digests of the
 * keys are kept, compared in constant time; keys are never logged or returned.
 */
final class ApiKeys {
  private static final String BEARER = "bearer ";

  /** One digest per thread: looking one up for each request cost more than hashing the key. */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(ApiKeys::newSha256);

  private final boolean required;
  private final List<byte[]> digests = new ArrayList<>();

  ApiKeys(Set<String> keys, boolean required) {
    this.required = required;
    for (String key : keys) {
      digests.add(sha256(key));
    }
  }

  /** True when the header carries a known key, or when no key is required. */
  boolean allows(String authorization) {
    if (!required) {
      return true;
    }
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    byte[] given = sha256(authorization.substring(BEARER.length()).strip());
    boolean match = false;
    for (byte[] known : digests) {
      match |= MessageDigest.isEqual(known, given);
    }
    return match;
  }

  private static byte[] sha256(String s) {
    return SHA256.get().digest(s.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
