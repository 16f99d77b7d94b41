package dev.ferry.pipeline.shape;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.pipeline.decode.DecodeException;
import dev.ferry.pipeline.decode.MessageDecoder;
import dev.ferry.pipeline.map.Mapper;
import dev.ferry.pipeline.map.MappingException;
import dev.ferry.pipeline.map.MessageMeta;
import dev.ferry.pipeline.record.PipelineRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a message and maps it to what is sent: entities or plain bodies. Records that need
 * neither (plain JSON, no mapping, no entities) are left alone so their bytes go out untouched.
 * Safe for use by several delivery lanes at once.
 */
public final class Shaper implements AutoCloseable {
  private final MessageDecoder decoder;
  private final Mapper mapper;
  private final boolean entitiesOnly;
  private final String tombstoneType;

  /**
   * @param mapper the mapping, or null to send decoded messages as they are
   * @param entitiesOnly true when every result must be an entity (grouped bodies)
   * @param tombstoneType the entity type a tombstone deletes (its id is the record key)
   */
  public Shaper(MessageDecoder decoder, Mapper mapper, boolean entitiesOnly, String tombstoneType) {
    this.decoder = decoder;
    this.mapper = mapper;
    this.entitiesOnly = entitiesOnly;
    this.tombstoneType = tombstoneType;
  }

  /**
   * True when tombstones become entity deletes (grouped bodies) rather than DELETE requests to the
   * URL; mappings never see tombstones.
   */
  public boolean shapesTombstones() {
    return entitiesOnly;
  }

  /**
   * What the record becomes; an empty list skips it; null sends its bytes as they are.
   *
   * @throws ShapeException when it cannot be decoded or mapped
   */
  public List<Output> shape(PipelineRecord record) throws ShapeException {
    if (record.isTombstone()) {
      if (!shapesTombstones()) {
        return null;
      }
      if (record.key() == null || record.key().isBlank()) {
        throw new ShapeException(
            "a tombstone without a key cannot name the entity to delete", false);
      }
      return List.of(Entity.delete(tombstoneType, record.key()));
    }
    if (mapper == null && !entitiesOnly && !isFramed(record.value())) {
      return null;
    }
    JsonNode message;
    try {
      message = decoder.decode(record.value());
    } catch (DecodeException e) {
      throw new ShapeException("cannot decode the value: " + e.getMessage(), e.retriable(), e);
    }
    List<JsonNode> results;
    if (mapper == null) {
      results = List.of(message);
    } else {
      try {
        results = mapper.map(message, meta(record));
      } catch (MappingException e) {
        throw new ShapeException("mapping failed: " + e.getMessage(), false, e);
      }
    }
    List<Output> outputs = new ArrayList<>(results.size());
    for (JsonNode result : results) {
      if (result.isObject() && result.has("type")) {
        outputs.add(Entity.parse(result));
      } else if (entitiesOnly) {
        throw new ShapeException(
            "body.format=grouped sends entities, but the "
                + (mapper == null ? "message" : "mapping's result")
                + " has no type: return {\"type\": \"item\", \"id\": ..., \"data\": {...}}",
            false);
      } else {
        outputs.add(new Body(result));
      }
    }
    return outputs;
  }

  /** Confluent's Schema Registry wire format: magic byte 0, a 4-byte schema id, the payload. */
  private static boolean isFramed(byte[] value) {
    return value.length >= 5 && value[0] == 0;
  }

  /**
   * A plain record batched with decoded ones: checked like them (a value that cannot be decoded is
   * rejected rather than breaking the shared body), then sent with its bytes untouched — or, for
   * plain text, as a JSON string.
   */
  public List<Output> asIs(PipelineRecord record) throws ShapeException {
    JsonNode decoded;
    try {
      decoded = decoder.decode(record.value());
    } catch (DecodeException e) {
      throw new ShapeException("cannot decode the value: " + e.getMessage(), e.retriable(), e);
    }
    boolean text = decoded.isTextual() && record.value().length > 0 && record.value()[0] != '"';
    return List.of(text ? new Body(decoded) : new Raw(record.value()));
  }

  private static MessageMeta meta(PipelineRecord r) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : r.headers()) {
      headers.put(h.getKey(), h.getValue());
    }
    return new MessageMeta(r.topic(), r.partition(), r.offset(), r.key(), r.timestamp(), headers);
  }

  @Override
  public void close() {
    if (mapper != null) {
      mapper.close();
    }
  }
}
