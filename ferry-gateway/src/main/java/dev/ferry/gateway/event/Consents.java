package dev.ferry.gateway.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.GatewayConfig;

/** Reads {@code context.consent} against the gateway's {@link GatewayConfig.Consent} settings. */
final class Consents {
  private Consents() {}

  /**
   * True when {@code consent} denies this destination: {@code destinations.<name>} is false, or
   * {@code destinations.all} is false and the destination is not named, or a required category is
   * false in {@code categories}. Absent information never denies.
   */
  static boolean denies(JsonNode consent, GatewayConfig.Consent settings) {
    if (!consent.isObject()) {
      return false;
    }
    JsonNode destinations = consent.path("destinations");
    JsonNode mine = destinations.get(settings.destination());
    if (mine != null && mine.isBoolean()) {
      if (!mine.booleanValue()) {
        return true;
      }
    } else if (destinations.path("all").isBoolean() && !destinations.path("all").booleanValue()) {
      return true;
    }
    JsonNode categories = consent.path("categories");
    for (String category : settings.categories()) {
      JsonNode given = categories.get(category);
      if (given != null && given.isBoolean() && !given.booleanValue()) {
        return true;
      }
    }
    return false;
  }
}
