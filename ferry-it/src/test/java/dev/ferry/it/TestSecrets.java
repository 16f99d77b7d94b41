package dev.ferry.it;

/**
 * The secrets the integration tests hand to Ferry. {@link LogScanIT} fails when any of them shows
 * up in what the suite logged.
 */
final class TestSecrets {
  static final String PLAIN_PASSWORD = "plain-Secret-4d1e9a";
  static final String SCRAM_PASSWORD = "scram-Secret-7b20c5";
  static final String OAUTH_SECRET = "oauth-Secret-93f0a1";
  static final String WRONG_PASSWORD = "wrong-Secret-0c77e2";

  static final String[] ALL = {PLAIN_PASSWORD, SCRAM_PASSWORD, OAUTH_SECRET, WRONG_PASSWORD};

  private TestSecrets() {}
}
