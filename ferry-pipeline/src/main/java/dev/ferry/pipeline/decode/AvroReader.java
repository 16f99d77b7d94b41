package dev.ferry.pipeline.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads the Avro payloads written with one registered schema. Thread-safe: the reader is shared;
 * each read has its own decoder.
 */
final class AvroReader {
  /**
   * Avro's fast reader is built lazily on the first read and published without synchronization; the
   * classic path keeps its resolving decoders per thread, so one reader serves every thread.
   */
  private static final GenericData DATA = classicGenericData();

  private final int id;
  private final Schema schema;
  private final GenericDatumReader<Object> reader;

  private AvroReader(int id, Schema schema) {
    this.id = id;
    this.schema = schema;
    this.reader = new GenericDatumReader<>(schema, schema, DATA);
  }

  /** A reader for the Avro schema {@code registered}, which it parses. */
  static AvroReader of(RegisteredSchema registered) throws DecodeException {
    try {
      return new AvroReader(registered.id(), new Schema.Parser().parse(registered.text()));
    } catch (SchemaParseException | NullPointerException e) {
      throw new DecodeException(
          "schema id "
              + registered.id()
              + " from the schema registry is not an Avro schema Ferry can parse: "
              + e.getMessage()
              + " (schema references are not supported)",
          false,
          e);
    }
  }

  /** Decodes the Avro datum that fills {@code value} from {@code offset} on, as plain JSON. */
  JsonNode read(byte[] value, int offset) throws DecodeException {
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(value, offset, value.length - offset, null);
    Object datum;
    try {
      datum = reader.read(null, decoder);
    } catch (EOFException e) {
      throw new DecodeException(
          "the Avro payload ends before the datum of schema id " + id + " is complete", false, e);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new DecodeException(
          "the Avro payload does not match schema id " + id + " (" + describe(e) + ")", false, e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new DecodeException(
            "the Avro payload holds bytes after the datum of schema id "
                + id
                + ": it was written with another schema",
            false);
      }
      return AvroJson.toJson(schema, datum);
    } catch (IOException | RuntimeException e) {
      throw new DecodeException(
          "the Avro payload does not match schema id " + id + " (" + describe(e) + ")", false, e);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.length() > 120
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }

  private static GenericData classicGenericData() {
    GenericData data = new GenericData();
    data.setFastReaderEnabled(false);
    return data;
  }
}
