package dev.ferry.http.auth;

/** How an OAuth2 client proves itself to the token endpoint (RFC 6749 section 2.3.1). */
public enum ClientAuthMethod {
  /**
   * {@code client_secret_basic}: client id and secret in an {@code Authorization: Basic} header.
   */
  BASIC,
  /** {@code client_secret_post}: client id and secret as form fields in the request body. */
  BODY
}
