package dev.ferry.gateway.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a request body into events: one JSON object, a JSON array of them, or NDJSON (one per
 * line), in one streaming pass that reads each {@link Event} without building its tree. Each event
 * is measured as sent, for the event size limit. A body that is not JSON at all is refused as a
 * whole; in NDJSON a broken line refuses only that event.
 */
public final class EventReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  private final int maxEventBytes;
  private final int maxEvents;
  private final Event.Wanted wanted;

  /**
   * @param maxEventBytes events larger than this are rejected (rule {@code too_large})
   * @param maxEvents more events than this in one body refuse the request
   * @param keyFields the key fields ({@code gateway.key.fields}): those given as JSON pointers are
   *     kept while reading
   */
  public EventReader(int maxEventBytes, int maxEvents, List<String> keyFields) {
    this.maxEventBytes = maxEventBytes;
    this.maxEvents = maxEvents;
    this.wanted = Event.Wanted.of(keyFields);
  }

  /** Reads one event from its JSON text, as an event of a body (for the test event and tests). */
  public Event event(String json) throws BadBody {
    List<Item> items = read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
    if (items.size() != 1 || items.get(0).rejection() != null) {
      throw new BadBody("json", "not one event: " + json);
    }
    return items.get(0).event();
  }

  /**
   * One event of the body: what was read of it, or why it was refused before checking.
   *
   * @param index its position in the body, from 0
   * @param event the event as read, null when {@code rejection} is set
   * @param bytes its size as sent
   * @param rejection why it is refused, or null
   */
  public record Item(int index, Event event, int bytes, Rejection rejection) {}

  /** The body cannot be read as events at all; the request is refused with this message. */
  public static final class BadBody extends Exception {
    private static final long serialVersionUID = 1L;
    private final String rule;

    BadBody(String rule, String message) {
      super(message, null, false, false);
      this.rule = rule;
    }

    /** {@code json} or {@code too_many_events}. */
    public String rule() {
      return rule;
    }
  }

  /**
   * Reads {@code body}.
   *
   * @param ndjson true for {@code application/x-ndjson} (one event per line)
   * @throws BadBody when the body is empty, not JSON, or holds too many events
   */
  public List<Item> read(byte[] body, boolean ndjson) throws BadBody {
    return ndjson ? readLines(body) : readJson(body);
  }

  private List<Item> readJson(byte[] body) throws BadBody {
    List<Item> items = new ArrayList<>();
    int broken = Utf8.firstInvalid(body, 0, body.length);
    if (broken >= 0) {
      throw new BadBody("json", notUtf8("the body", broken));
    }
    try (JsonParser p = FACTORY.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new BadBody("json", "the body is empty: send one event, a JSON array or NDJSON");
      }
      if (p.currentTokenLocation().getByteOffset() < 0) {
        throw new BadBody("json", notUtf8("the body", -1));
      }
      if (first == JsonToken.START_ARRAY) {
        while (true) {
          JsonToken t = p.nextToken();
          if (t == JsonToken.END_ARRAY) {
            break;
          }
          if (t == null) {
            throw new BadBody("json", "the JSON array is not closed");
          }
          tooMany(items.size());
          items.add(item(items.size(), p, body));
        }
      } else {
        items.add(item(0, p, body));
      }
      if (p.nextToken() != null) {
        throw new BadBody(
            "json",
            "the body holds more than one JSON value: wrap the events in an array, or send them"
                + " as NDJSON with Content-Type: application/x-ndjson");
      }
    } catch (JsonProcessingException e) {
      throw new BadBody(
          "json",
          "the body is not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + "): "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadBody("json", "the body could not be read: " + e.getMessage());
    }
    if (items.isEmpty()) {
      throw new BadBody("json", "the JSON array holds no event");
    }
    return items;
  }

  private Item item(int index, JsonParser p, byte[] body) throws IOException {
    long start = p.currentTokenLocation().getByteOffset();
    Event event = Event.read(p, body, 0, wanted);
    if (p.currentToken().isScalarValue()) {
      p.getText(); // a string is read lazily: to its end, for the size below
    }
    int bytes = (int) (p.currentLocation().getByteOffset() - start);
    return sized(index, event, bytes);
  }

  private Item sized(int index, Event event, int bytes) {
    if (bytes > maxEventBytes) {
      return new Item(
          index,
          null,
          bytes,
          Rejection.of(
              "",
              "too_large",
              "the event is "
                  + bytes
                  + " bytes, above the limit of "
                  + maxEventBytes
                  + " (gateway.max.event.bytes)"));
    }
    return new Item(index, event, bytes, null);
  }

  private List<Item> readLines(byte[] body) throws BadBody {
    List<Item> items = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        int end = i;
        if (end > start && body[end - 1] == '\r') {
          end--;
        }
        if (!blank(body, start, end)) {
          tooMany(items.size());
          items.add(line(items.size(), body, start, end));
        }
        start = i + 1;
      }
    }
    if (items.isEmpty()) {
      throw new BadBody("json", "the NDJSON body holds no event");
    }
    return items;
  }

  private Item line(int index, byte[] body, int start, int end) {
    int bytes = end - start;
    if (bytes > maxEventBytes) {
      return sized(index, null, bytes);
    }
    int broken = Utf8.firstInvalid(body, start, end);
    if (broken >= 0) {
      return new Item(index, null, bytes, Rejection.of("", "json", notUtf8("the line", broken)));
    }
    try (JsonParser p = FACTORY.createParser(body, start, bytes)) {
      if (p.nextToken() == null) {
        return new Item(
            index, null, bytes, Rejection.of("", "json", "the line holds no JSON value"));
      }
      if (p.currentTokenLocation().getByteOffset() < 0) {
        return new Item(index, null, bytes, Rejection.of("", "json", notUtf8("the line", -1)));
      }
      Event event = Event.read(p, body, start, wanted);
      if (p.nextToken() != null) {
        return new Item(
            index,
            null,
            bytes,
            Rejection.of("", "json", "the line holds more than one JSON value"));
      }
      return new Item(index, event, bytes, null);
    } catch (JsonProcessingException e) {
      return new Item(
          index,
          null,
          bytes,
          Rejection.of(
              "",
              "json",
              "the line is not valid JSON (column "
                  + e.getLocation().getColumnNr()
                  + "): "
                  + e.getOriginalMessage()));
    } catch (IOException e) {
      return new Item(index, null, bytes, Rejection.of("", "json", "the line could not be read"));
    }
  }

  private void tooMany(int count) throws BadBody {
    if (count >= maxEvents) {
      throw new BadBody(
          "too_many_events",
          "the request holds more than "
              + maxEvents
              + " events (gateway.max.events.per.request): send them in several requests");
    }
  }

  /**
   * JSON must be UTF-8 (RFC 8259): the parser would take UTF-16 or UTF-32 too, and it does not
   * check the encoding of what it skips, yet those bytes go into the envelope as they are.
   *
   * @param at the offending byte, or -1 for a body in another encoding
   */
  private static String notUtf8(String what, int at) {
    return what
        + " is not valid UTF-8"
        + (at >= 0 ? " (at byte " + at + ")" : "")
        + ": send JSON encoded in UTF-8";
  }

  private static boolean blank(byte[] b, int start, int end) {
    if (end - start >= 3
        && b[start] == (byte) 0xEF
        && b[start + 1] == (byte) 0xBB
        && b[start + 2] == (byte) 0xBF) {
      start += 3; // a byte order mark
    }
    for (int i = start; i < end; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }
}
