package dev.nlpstreams.schema.confluent;

import dev.nlpstreams.schema.AvroReadLimits;
import dev.nlpstreams.schema.Hex;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.registry.RegistryException;
import dev.nlpstreams.schema.registry.SchemaNotFoundException;
import dev.nlpstreams.schema.registry.SchemaRegistryClient;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads Confluent-framed Avro values: the writer schema comes from the registry (cached there),
 * and is resolved against an optional reader schema by Avro's resolution rules. Thread-safe.
 *
 * <p>What can never be read becomes a {@link PayloadException}: a missing or truncated header or
 * a corrupt body is {@code MALFORMED_PAYLOAD}, an id the registry does not know is
 * {@code UNKNOWN_SCHEMA}. A registry that cannot be reached is not the record's fault: its
 * {@link dev.nlpstreams.schema.registry.RegistryUnavailableException} passes through.
 */
public final class ConfluentAvroReader {

  static {
    AvroReadLimits.install();
  }

  private final SchemaRegistryClient registry;
  /** Readers by writer id and reader schema; bounded by the registry's schema cache in practice. */
  private final Map<ReaderKey, GenericDatumReader<Object>> readers = new ConcurrentHashMap<>();

  private record ReaderKey(int writerId, Schema readerSchema, boolean specific) {}

  public ConfluentAvroReader(SchemaRegistryClient registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** The writer schema of a framed payload (for callers that map fields by path). */
  public Schema writerSchema(byte[] payload) throws PayloadException {
    return writerSchemaById(header(payload));
  }

  /**
   * Decodes a framed payload. With a reader schema of a generated class and {@code specific}, the
   * result is that class; otherwise a generic record in the reader (or writer) schema.
   */
  public Object read(byte[] payload, Schema readerSchema, boolean specific)
      throws PayloadException {
    int id = header(payload);
    Schema writer = writerSchemaById(id);
    Schema reader = readerSchema != null ? readerSchema : specific ? generatedSchema(writer) : writer;
    GenericDatumReader<Object> datumReader = readers.computeIfAbsent(
        new ReaderKey(id, reader, specific),
        key -> specific
            ? new SpecificDatumReader<>(writer, reader, SpecificData.get())
            : new GenericDatumReader<>(writer, reader, GenericData.get()));
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload,
        ConfluentWireFormat.HEADER_LENGTH, payload.length - ConfluentWireFormat.HEADER_LENGTH,
        null);
    try {
      Object value = datumReader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Confluent-framed payload with"
            + " schema id " + id + " has bytes left after the Avro body; was it written with"
            + " another schema than the one its id names?", null);
      }
      return value;
    } catch (AvroTypeException e) {
      throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Writer schema id " + id + " ("
          + writer.getFullName() + ") cannot be read as " + reader.getFullName() + ": "
          + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      // Corrupt bodies surface as many exception types (EOF, bad union index, huge length).
      throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Corrupt Avro body for schema id "
          + id + " (" + writer.getFullName() + "): " + e, e);
    }
  }

  /**
   * The schema of the generated class named like the writer schema, so that an older or newer
   * writer is resolved against the class's own fields; the writer schema when there is no class.
   */
  private static Schema generatedSchema(Schema writer) {
    Class<?> generated = SpecificData.get().getClass(writer);
    return generated == null ? writer : SpecificData.get().getSchema(generated);
  }

  private static int header(byte[] payload) throws PayloadException {
    if (!ConfluentWireFormat.looksFramed(payload)
        || payload.length < ConfluentWireFormat.HEADER_LENGTH) {
      throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Not a Confluent-framed Avro value:"
          + " expected magic byte 00 and a 4-byte schema id, found " + Hex.prefix(payload, 5), null);
    }
    return ConfluentWireFormat.schemaId(payload);
  }

  private Schema writerSchemaById(int id) throws PayloadException {
    try {
      return registry.schemaById(id);
    } catch (SchemaNotFoundException e) {
      throw new PayloadException(ReasonCode.UNKNOWN_SCHEMA, "Unknown schema id " + id + ": "
          + e.getMessage() + " Was the record produced against another registry?", e);
    } catch (RegistryException e) {
      if (e.httpStatus() == 0) {
        // The registry answered with something that is not an Avro schema: this record can never
        // be read by us, whatever we retry.
        throw new PayloadException(ReasonCode.UNKNOWN_SCHEMA, e.getMessage(), e);
      }
      throw e;
    }
  }
}
