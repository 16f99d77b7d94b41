package dev.ferry.http.testing;

import java.net.InetAddress;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/** Starts a real mock-oauth2-server on an ephemeral port of 127.0.0.1. */
public final class OAuth2Servers {
  private OAuth2Servers() {}

  /** A started server whose issuer {@code callback.issuerId()} issues tokens through callback. */
  public static MockOAuth2Server start(OAuth2TokenCallback callback) throws Exception {
    OAuth2Config defaults = new OAuth2Config();
    MockOAuth2Server server =
        new MockOAuth2Server(
            new OAuth2Config(
                defaults.getInteractiveLogin(),
                defaults.getLoginPagePath(),
                defaults.getStaticAssetsPath(),
                defaults.getRotateRefreshToken(),
                defaults.getTokenProvider(),
                Set.of(callback),
                defaults.getHttpServer()));
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }
}
