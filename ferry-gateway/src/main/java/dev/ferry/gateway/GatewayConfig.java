package dev.ferry.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gateway's settings, read from {@code gateway.*} keys (a properties file, command-line
 * options, or {@code bin/ferry up}'s defaults). Every value has a default; a bad value is refused
 * with a message naming the key, the rule and an example.
 *
 * @param host the interface to listen on
 * @param port the HTTP port (0 picks a free one)
 * @param topic the topic events go to unless a route names another
 * @param routes topics by event type ({@code gateway.routes=track=tracks,identify=users})
 * @param keyFields the event fields tried in order for the message key
 * @param consent which consent an event must not deny, and what happens when it does
 * @param apiKeys the accepted API keys ({@code Authorization: Bearer KEY}); empty only with {@code
 *     authRequired} false
 * @param authRequired false only when explicitly turned off ({@code gateway.auth=none})
 * @param maxRequestBytes the largest request body, after gzip decompression
 * @param maxEventBytes the largest single event, as sent
 * @param maxEventsPerRequest the most events one request may carry
 * @param maxInFlightBytes events not yet acknowledged by Kafka, above which requests get 429
 * @param async answer 202 once events are handed to the producer, not after the broker's ack
 * @param dedupeWindow how long a {@code message_id} is remembered, to accept duplicates once
 * @param dedupeMaxEntries the most message ids remembered (oldest forgotten first)
 * @param liveBuffer how many recent events the live view replays to a new subscriber
 * @param forwardHeaders request headers copied onto every record of the request (lower case)
 * @param recordTime which time the records carry as their Kafka timestamp
 * @param corsOrigins web origins whose pages may post events from a browser ({@code *} for any);
 *     empty = no CORS headers
 * @param producerOverrides extra Kafka producer settings ({@code gateway.producer.*})
 */
public record GatewayConfig(
    String host,
    int port,
    String topic,
    Map<String, String> routes,
    List<String> keyFields,
    Consent consent,
    Set<String> apiKeys,
    boolean authRequired,
    int maxRequestBytes,
    int maxEventBytes,
    int maxEventsPerRequest,
    long maxInFlightBytes,
    boolean async,
    Duration dedupeWindow,
    int dedupeMaxEntries,
    int liveBuffer,
    List<String> forwardHeaders,
    RecordTime recordTime,
    List<String> corsOrigins,
    Map<String, String> producerOverrides) {

  /**
   * The environment variable holding API keys, comma-separated; added to {@code gateway.api.keys}.
   */
  public static final String API_KEYS_ENV = "FERRY_GATEWAY_API_KEYS";

  public static final String PREFIX = "gateway.";
  private static final Pattern ORIGIN =
      Pattern.compile("https?://(\\*\\.)?[a-z0-9.-]+(:[0-9]{1,5})?", Pattern.CASE_INSENSITIVE);
  public static final String HOST = "gateway.host";
  public static final String PORT = "gateway.port";
  public static final String TOPIC = "gateway.topic";
  public static final String ROUTES = "gateway.routes";
  public static final String KEY_FIELDS = "gateway.key.fields";
  public static final String CONSENT_DESTINATION = "gateway.consent.destination";
  public static final String CONSENT_CATEGORIES = "gateway.consent.categories";
  public static final String CONSENT_DENIED = "gateway.consent.denied";
  public static final String CONSENT_DENIED_TOPIC = "gateway.consent.denied.topic";
  public static final String API_KEYS = "gateway.api.keys";
  public static final String AUTH = "gateway.auth";
  public static final String MAX_REQUEST_BYTES = "gateway.max.request.bytes";
  public static final String MAX_EVENT_BYTES = "gateway.max.event.bytes";
  public static final String MAX_EVENTS = "gateway.max.events.per.request";
  public static final String MAX_IN_FLIGHT_BYTES = "gateway.max.in.flight.bytes";
  public static final String DELIVERY = "gateway.delivery";
  public static final String DEDUPE_WINDOW_MS = "gateway.dedupe.window.ms";
  public static final String DEDUPE_MAX_ENTRIES = "gateway.dedupe.max.entries";
  public static final String LIVE_BUFFER = "gateway.live.buffer";
  public static final String FORWARD_HEADERS = "gateway.forward.headers";
  public static final String RECORD_TIMESTAMP = "gateway.record.timestamp";
  public static final String RECORD_TIMESTAMP_MAX_AHEAD = "gateway.record.timestamp.max.ahead.ms";
  public static final String RECORD_TIMESTAMP_MAX_BEHIND = "gateway.record.timestamp.max.behind.ms";
  public static final String CORS_ORIGINS = "gateway.cors.origins";
  public static final String PRODUCER_PREFIX = "gateway.producer.";

  private static final Set<String> KNOWN =
      Set.of(
          HOST,
          PORT,
          TOPIC,
          ROUTES,
          KEY_FIELDS,
          CONSENT_DESTINATION,
          CONSENT_CATEGORIES,
          CONSENT_DENIED,
          CONSENT_DENIED_TOPIC,
          API_KEYS,
          AUTH,
          MAX_REQUEST_BYTES,
          MAX_EVENT_BYTES,
          MAX_EVENTS,
          MAX_IN_FLIGHT_BYTES,
          DELIVERY,
          DEDUPE_WINDOW_MS,
          DEDUPE_MAX_ENTRIES,
          LIVE_BUFFER,
          FORWARD_HEADERS,
          RECORD_TIMESTAMP,
          RECORD_TIMESTAMP_MAX_AHEAD,
          RECORD_TIMESTAMP_MAX_BEHIND,
          CORS_ORIGINS);

  /**
   * What the gateway does with {@code context.consent}. An event denies this destination when
   * {@code context.consent.destinations.<destination>} is {@code false}, or when one of the
   * required {@code categories} is {@code false} in {@code context.consent.categories}. Events
   * without consent information are forwarded (the seed's default blueprint forwards all).
   *
   * @param destination this destination's name in {@code context.consent.destinations}
   * @param categories consent categories that must not be denied
   * @param deniedTopic where denied events go; empty = they are dropped (and counted)
   */
  public record Consent(String destination, Set<String> categories, String deniedTopic) {
    public Consent {
      categories = Collections.unmodifiableSet(new LinkedHashSet<>(categories));
    }

    /** True when denied events are kept on a topic of their own rather than dropped. */
    public boolean routesDenied() {
      return !deniedTopic.isEmpty();
    }
  }

  /**
   * The Kafka timestamp of each record ({@code gateway.record.timestamp}).
   *
   * @param fromEvent the event's {@code timestamp} when it has one ({@code event}); else, and by
   *     default ({@code received}), the time the producer took the record, about when it arrived
   * @param maxAheadMs with {@code fromEvent}, events whose time is further ahead of the gateway's
   *     clock are rejected, since Kafka refuses them (the topic's {@code
   *     message.timestamp.after.max.ms}, 1 hour by default) and with them the rest of their batch
   * @param maxBehindMs as {@code maxAheadMs}, for times in the past ({@code
   *     message.timestamp.before.max.ms}, no limit by default: {@link Long#MAX_VALUE})
   */
  public record RecordTime(boolean fromEvent, long maxAheadMs, long maxBehindMs) {}

  public GatewayConfig {
    routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    keyFields = List.copyOf(keyFields);
    forwardHeaders = List.copyOf(forwardHeaders);
    corsOrigins = List.copyOf(corsOrigins);
    apiKeys = Collections.unmodifiableSet(new LinkedHashSet<>(apiKeys));
    producerOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(producerOverrides));
  }

  /** The defaults, with the given API keys. */
  public static GatewayConfig defaults(Set<String> apiKeys) {
    return from(Map.of(API_KEYS, String.join(",", apiKeys)), Map.of());
  }

  /**
   * Reads {@code gateway.*} keys; other keys are ignored. API keys from {@code env}'s {@value
   * #API_KEYS_ENV} are added to {@code gateway.api.keys}.
   *
   * @throws IllegalArgumentException naming the key, the rule and an example
   */
  public static GatewayConfig from(Map<String, String> props, Map<String, String> env) {
    for (String key : props.keySet()) {
      if (key.startsWith(PREFIX) && !key.startsWith(PRODUCER_PREFIX) && !KNOWN.contains(key)) {
        throw new IllegalArgumentException(
            key + " is not a gateway setting; the settings are listed in docs/event-gateway.md");
      }
    }
    SettingsReader r = new SettingsReader(props);
    String topic = r.topic(TOPIC, "events");
    Map<String, String> routes = r.routes();
    List<String> keyFields = r.list(KEY_FIELDS, "user_id,anonymous_id");
    if (keyFields.isEmpty()) {
      throw new IllegalArgumentException(
          KEY_FIELDS + " names no field: give at least one, e.g. user_id,anonymous_id");
    }
    String denied = r.text(CONSENT_DENIED, "drop").toLowerCase(Locale.ROOT);
    String deniedTopic;
    switch (denied) {
      case "drop":
        deniedTopic = "";
        break;
      case "route":
        deniedTopic = r.topic(CONSENT_DENIED_TOPIC, "events-consent-denied");
        break;
      default:
        throw new IllegalArgumentException(
            CONSENT_DENIED + "=" + denied + " is not one of drop, route");
    }
    Consent consent =
        new Consent(
            r.text(CONSENT_DESTINATION, "kafka"),
            new LinkedHashSet<>(r.list(CONSENT_CATEGORIES, "")),
            deniedTopic);
    Set<String> keys = new LinkedHashSet<>(r.list(API_KEYS, ""));
    keys.addAll(splitList(env.getOrDefault(API_KEYS_ENV, "")));
    String auth = r.text(AUTH, "api-key").toLowerCase(Locale.ROOT);
    boolean authRequired;
    switch (auth) {
      case "api-key":
        authRequired = true;
        break;
      case "none":
        authRequired = false;
        break;
      default:
        throw new IllegalArgumentException(AUTH + "=" + auth + " is not one of api-key, none");
    }
    if (authRequired && keys.isEmpty()) {
      throw new IllegalArgumentException(
          "the gateway has no API key: set "
              + API_KEYS_ENV
              + " (comma-separated) or "
              + API_KEYS
              + ", or turn authentication off with "
              + AUTH
              + "=none (local development only)");
    }
    for (String key : keys) {
      if (key.length() < 16) {
        throw new IllegalArgumentException(
            "an API key in "
                + API_KEYS
                + " or "
                + API_KEYS_ENV
                + " is shorter than 16 characters: use long random keys, e.g. from"
                + " `openssl rand -hex 24`");
      }
    }
    String delivery = r.text(DELIVERY, "sync").toLowerCase(Locale.ROOT);
    if (!delivery.equals("sync") && !delivery.equals("async")) {
      throw new IllegalArgumentException(DELIVERY + "=" + delivery + " is not one of sync, async");
    }
    int maxRequest = r.integer(MAX_REQUEST_BYTES, 5 * 1024 * 1024, 1024);
    int maxEvent = r.integer(MAX_EVENT_BYTES, 512 * 1024, 256);
    if (maxEvent > maxRequest) {
      throw new IllegalArgumentException(
          MAX_EVENT_BYTES
              + " ("
              + maxEvent
              + ") is larger than "
              + MAX_REQUEST_BYTES
              + " ("
              + maxRequest
              + "): an event must fit in a request");
    }
    Map<String, String> producer = new LinkedHashMap<>();
    props.forEach(
        (k, v) -> {
          if (k.startsWith(PRODUCER_PREFIX)) {
            producer.put(k.substring(PRODUCER_PREFIX.length()), v);
          }
        });
    return new GatewayConfig(
        r.text(HOST, "localhost"),
        r.integer(PORT, 8080, 0, 65_535),
        topic,
        routes,
        keyFields,
        consent,
        keys,
        authRequired,
        maxRequest,
        maxEvent,
        r.integer(MAX_EVENTS, 1000, 1),
        r.integer(MAX_IN_FLIGHT_BYTES, 32 * 1024 * 1024, 1024),
        delivery.equals("async"),
        Duration.ofMillis(r.integer(DEDUPE_WINDOW_MS, 600_000, 0)),
        r.integer(DEDUPE_MAX_ENTRIES, 200_000, 0),
        r.integer(LIVE_BUFFER, 100, 0),
        ForwardedHeaders.names(r.list(FORWARD_HEADERS, "")),
        recordTime(r),
        corsOrigins(r.list(CORS_ORIGINS, "")),
        producer);
  }

  /** Origins as browsers send them: {@code *}, or scheme, host and optional port, no path. */
  private static List<String> corsOrigins(List<String> origins) {
    for (String origin : origins) {
      if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
        throw new IllegalArgumentException(
            CORS_ORIGINS
                + " has \""
                + origin
                + "\": give origins as browsers send them, e.g. https://shop.example.com,"
                + " http://localhost:3000, https://*.example.com, or * for any");
      }
    }
    return origins;
  }

  private static RecordTime recordTime(SettingsReader r) {
    String mode = r.text(RECORD_TIMESTAMP, "received").toLowerCase(Locale.ROOT);
    if (!mode.equals("received") && !mode.equals("event")) {
      throw new IllegalArgumentException(
          RECORD_TIMESTAMP + "=" + mode + " is not one of received, event");
    }
    return new RecordTime(
        mode.equals("event"),
        r.millis(RECORD_TIMESTAMP_MAX_AHEAD, 50 * 60 * 1000L, 0),
        r.millis(RECORD_TIMESTAMP_MAX_BEHIND, Long.MAX_VALUE, 0));
  }

  /** This config with another port (tests and {@code bin/ferry up --gateway-port}). */
  public GatewayConfig withPort(int newPort) {
    return new GatewayConfig(
        host,
        newPort,
        topic,
        routes,
        keyFields,
        consent,
        apiKeys,
        authRequired,
        maxRequestBytes,
        maxEventBytes,
        maxEventsPerRequest,
        maxInFlightBytes,
        async,
        dedupeWindow,
        dedupeMaxEntries,
        liveBuffer,
        forwardHeaders,
        recordTime,
        corsOrigins,
        producerOverrides);
  }

  /** The topic of an event of {@code eventType}: its route, or the default topic. */
  public String topicFor(String eventType) {
    return routes.getOrDefault(eventType, topic);
  }

  @Override
  public String toString() {
    // API keys are secrets: count them only.
    return "GatewayConfig["
        + host
        + ":"
        + port
        + ", topic "
        + topic
        + ", "
        + apiKeys.size()
        + " API key(s)]";
  }

  static List<String> splitList(String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }

  /** Every key this class reads, for documentation. */
  static List<String> keys() {
    List<String> keys = new ArrayList<>(KNOWN);
    Collections.sort(keys);
    return keys;
  }
}
