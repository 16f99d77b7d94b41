package dev.ferry.connect.sink.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import dev.ferry.http.HttpSettings;
import dev.ferry.http.Secret;
import dev.ferry.http.auth.Auth;
import dev.ferry.http.auth.BasicAuth;
import dev.ferry.http.auth.ClientAuthMethod;
import dev.ferry.http.auth.HeaderAuth;
import dev.ferry.http.auth.OAuth2ClientCredentials;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/** Credentials for the target API. */
public final class AuthConfig {
  public static final String GROUP = "Authentication";
  public static final String TYPE = "http.auth.type";
  public static final String HEADER_NAME = "http.auth.header.name";
  public static final String HEADER_VALUE = "http.auth.header.value";
  public static final String BASIC_USER = "http.auth.basic.username";
  public static final String BASIC_PASSWORD = "http.auth.basic.password";
  public static final String TOKEN_URL = "http.auth.oauth2.token.url";
  public static final String CLIENT_ID = "http.auth.oauth2.client.id";
  public static final String CLIENT_SECRET = "http.auth.oauth2.client.secret";
  public static final String SCOPE = "http.auth.oauth2.scope";
  public static final String CLIENT_AUTH = "http.auth.oauth2.client.auth.method";

  /** The kinds of credentials. */
  public enum Type {
    NONE,
    HEADER,
    BASIC,
    OAUTH2
  }

  private AuthConfig() {}

  static void define(ConfigDef def) {
    int order = 0;
    def.define(
            TYPE,
            STRING,
            "none",
            Validators.oneOf(Type.class),
            HIGH,
            "How requests authenticate: none; header (a static header such as an API key or a"
                + " bearer token, see http.auth.header.*); basic (http.auth.basic.*); oauth2 (the"
                + " client-credentials grant: the token is cached, refreshed before it expires and"
                + " renewed once on a 401, see http.auth.oauth2.*).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Auth type")
        .define(
            HEADER_NAME,
            STRING,
            "Authorization",
            MEDIUM,
            "The header that carries the credential, for http.auth.type=header.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Auth header name")
        .define(
            HEADER_VALUE,
            PASSWORD,
            null,
            MEDIUM,
            "The header's value, e.g. 'Bearer abc' or an API key, for http.auth.type=header."
                + " Never logged.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Auth header value")
        .define(
            BASIC_USER,
            STRING,
            null,
            MEDIUM,
            "User name, for http.auth.type=basic.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Basic user")
        .define(
            BASIC_PASSWORD,
            PASSWORD,
            null,
            MEDIUM,
            "Password, for http.auth.type=basic. Never logged.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Basic password")
        .define(
            TOKEN_URL,
            STRING,
            null,
            MEDIUM,
            "The OAuth2 token endpoint, for http.auth.type=oauth2.",
            GROUP,
            ++order,
            ConfigDef.Width.LONG,
            "Token URL")
        .define(
            CLIENT_ID,
            STRING,
            null,
            MEDIUM,
            "The OAuth2 client id.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Client id")
        .define(
            CLIENT_SECRET,
            PASSWORD,
            null,
            MEDIUM,
            "The OAuth2 client secret. Never logged.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Client secret")
        .define(
            SCOPE,
            STRING,
            "",
            LOW,
            "The OAuth2 scope to ask for; empty for none.",
            GROUP,
            ++order,
            ConfigDef.Width.MEDIUM,
            "Scope")
        .define(
            CLIENT_AUTH,
            STRING,
            "basic",
            Validators.oneOf(ClientAuthMethod.class),
            LOW,
            "How the client authenticates to the token endpoint: basic (client_secret_basic) or"
                + " body (client_secret_post).",
            GROUP,
            ++order,
            ConfigDef.Width.SHORT,
            "Client auth method");
  }

  static Type type(AbstractConfig c) {
    return Type.valueOf(c.getString(TYPE).strip().toUpperCase(Locale.ROOT));
  }

  /** The auth the config asks for; {@link HttpSinkConfig#validate} has checked its keys. */
  static Auth build(AbstractConfig c, HttpSettings http) {
    switch (type(c)) {
      case HEADER:
        return new HeaderAuth(c.getString(HEADER_NAME), secret(c.getPassword(HEADER_VALUE)));
      case BASIC:
        return new BasicAuth(c.getString(BASIC_USER), secret(c.getPassword(BASIC_PASSWORD)));
      case OAUTH2:
        return OAuth2ClientCredentials.builder(
                URI.create(c.getString(TOKEN_URL)),
                c.getString(CLIENT_ID),
                secret(c.getPassword(CLIENT_SECRET)))
            .scope(c.getString(SCOPE))
            .clientAuthMethod(
                ClientAuthMethod.valueOf(c.getString(CLIENT_AUTH).strip().toUpperCase(Locale.ROOT)))
            .refreshMargin(Duration.ofSeconds(30))
            .clock(Clock.systemUTC())
            .httpSettings(http)
            .build();
      case NONE:
      default:
        return Auth.none();
    }
  }

  private static Secret secret(Password p) {
    return Secret.of(p == null ? "" : p.value());
  }
}
