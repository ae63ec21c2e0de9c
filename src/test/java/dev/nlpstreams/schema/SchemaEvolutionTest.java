package dev.nlpstreams.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RecordedRegistry;
import dev.nlpstreams.schema.registry.RegistrySettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * The build gate on contract evolution: every schema in {@code schemas/} has a committed baseline
 * (the last released shape) in {@code src/test/resources/schema-baselines/}, and a change must be
 * both backward compatible (new readers read old data) and forward compatible (old readers read
 * new data), checked with Avro's own {@link SchemaCompatibility}.
 *
 * <p>After a compatible change is released, refresh the baselines with
 * {@code mvn -o -q test -Dtest=SchemaEvolutionTest -Dschema.baseline.update=true} and commit them.
 */
class SchemaEvolutionTest {

  private static final Path SCHEMAS = Path.of("schemas");
  private static final Path BASELINES = Path.of("src/test/resources/schema-baselines");

  @Test
  void everySchemaIsBackwardAndForwardCompatibleWithItsBaseline() throws IOException {
    Map<String, Schema> current = currentSchemas();
    assertThat(current).isNotEmpty();
    boolean update = Boolean.getBoolean("schema.baseline.update");
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Schema> entry : current.entrySet()) {
      Path baselineFile = BASELINES.resolve(entry.getKey() + ".avsc");
      if (update) {
        Files.createDirectories(BASELINES);
        Files.writeString(baselineFile, entry.getValue().toString(true) + "\n");
        continue;
      }
      if (!Files.exists(baselineFile)) {
        problems.add(entry.getKey() + " has no baseline " + baselineFile + "; create it with"
            + " -Dschema.baseline.update=true and commit it");
        continue;
      }
      Schema baseline = new Schema.Parser().parse(Files.readString(baselineFile));
      problems.addAll(incompatibilities(entry.getKey(), baseline, entry.getValue()));
    }
    if (!problems.isEmpty()) {
      fail("Schema changes that break compatibility:\n  " + String.join("\n  ", problems));
    }
  }

  @Test
  void theGateNamesTheFieldOfAnIncompatibleChange() {
    Schema baseline = TextEvent.getClassSchema();
    // A new required field without a default: old data cannot be read by the new reader.
    Schema changed = withField(baseline, "{\"name\":\"tenant\",\"type\":\"string\"}");

    List<String> problems = incompatibilities("TextEvent", baseline, changed);

    assertThat(problems).anySatisfy(problem -> assertThat(problem)
        .contains("TextEvent").contains("new readers cannot read old data").contains("tenant"));
  }

  @Test
  void anAddedOptionalFieldWithADefaultPasses() {
    Schema baseline = TextEvent.getClassSchema();
    Schema changed = withField(baseline,
        "{\"name\":\"tenant\",\"type\":[\"null\",\"string\"],\"default\":null}");

    assertThat(incompatibilities("TextEvent", baseline, changed)).isEmpty();
  }

  @Test
  void oldAndNewReadersAndWritersInSingleObjectEncoding() throws Exception {
    Schema oldSchema = TextEvent.getClassSchema();
    Schema newSchema = withField(oldSchema,
        "{\"name\":\"tenant\",\"type\":[\"null\",\"string\"],\"default\":null}");
    GenericRecord newEvent = event(newSchema, "n-1");
    newEvent.put("tenant", "acme");

    // Old reader, new writer: the reader knows the writer schema by its fingerprint.
    BinaryMessageDecoder<GenericRecord> oldReader =
        new BinaryMessageDecoder<>(GenericData.get(), oldSchema);
    oldReader.addSchema(newSchema);
    ByteBuffer newBytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), newSchema)
        .encode(newEvent);
    GenericRecord readOld = oldReader.decode(newBytes);
    assertThat(readOld.get("event_id").toString()).isEqualTo("n-1");
    assertThat(readOld.getSchema().getField("tenant")).isNull();

    // New reader, old writer: the added field takes its default.
    BinaryMessageDecoder<GenericRecord> newReader =
        new BinaryMessageDecoder<>(GenericData.get(), newSchema);
    newReader.addSchema(oldSchema);
    ByteBuffer oldBytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), oldSchema)
        .encode(event(oldSchema, "o-1"));
    GenericRecord readNew = newReader.decode(oldBytes);
    assertThat(readNew.get("event_id").toString()).isEqualTo("o-1");
    assertThat(readNew.get("tenant")).isNull();
  }

  @Test
  void oldAndNewReadersAndWritersInConfluentFraming() throws Exception {
    Schema oldSchema = TextEvent.getClassSchema();
    Schema newSchema = withField(oldSchema,
        "{\"name\":\"tenant\",\"type\":[\"null\",\"string\"],\"default\":null}");
    try (RecordedRegistry registry = new RecordedRegistry()) {
      registry.on("POST", "/subjects/events-value/versions", 200, "{\"id\":1}")
          .on("POST", "/subjects/events-value/versions", 200, "{\"id\":2}");
      RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
          registry.url()));
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);
      ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(client, settings, false);
      byte[] oldBytes = serializer.serialize("events", event(oldSchema, "o-1"));
      GenericRecord newEvent = event(newSchema, "n-1");
      newEvent.put("tenant", "acme");
      byte[] newBytes = serializer.serialize("events", newEvent);
      ConfluentAvroReader reader = new ConfluentAvroReader(client);

      GenericRecord oldReadsNew = (GenericRecord) reader.read(newBytes, oldSchema, false);
      GenericRecord newReadsOld = (GenericRecord) reader.read(oldBytes, newSchema, false);

      assertThat(oldReadsNew.get("event_id").toString()).isEqualTo("n-1");
      assertThat(oldReadsNew.getSchema().getField("tenant")).isNull();
      assertThat(newReadsOld.get("event_id").toString()).isEqualTo("o-1");
      assertThat(newReadsOld.get("tenant")).isNull();
    }
  }

  /** Both directions; each problem names the schema, the direction and the field. */
  static List<String> incompatibilities(String name, Schema baseline, Schema current) {
    List<String> problems = new ArrayList<>();
    describe(problems, name, "new readers cannot read old data (backward)",
        SchemaCompatibility.checkReaderWriterCompatibility(current, baseline).getResult());
    describe(problems, name, "old readers cannot read new data (forward)",
        SchemaCompatibility.checkReaderWriterCompatibility(baseline, current).getResult());
    return problems;
  }

  private static void describe(List<String> problems, String name, String direction,
      SchemaCompatibilityResult result) {
    for (Incompatibility incompatibility : result.getIncompatibilities()) {
      problems.add(name + ": " + direction + " at " + incompatibility.getLocation() + ": "
          + incompatibility.getType() + " " + incompatibility.getMessage());
    }
  }

  private static Map<String, Schema> currentSchemas() throws IOException {
    // Shared named types first, as the build's avro-maven-plugin <imports> does.
    Schema.Parser parser = new Schema.Parser();
    for (Path common : files(SCHEMAS.resolve("common"))) {
      parser.parse(common.toFile());
    }
    Map<String, Schema> schemas = new TreeMap<>();
    List<Path> contracts = new ArrayList<>(files(SCHEMAS));
    contracts.addAll(files(SCHEMAS.resolve("internal")));
    for (Path file : contracts) {
      Schema schema = parser.parse(file.toFile());
      schemas.put(schema.getName(), schema);
    }
    return schemas;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> paths = Files.list(dir)) {
      return paths.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    }
  }

  private static Schema withField(Schema schema, String fieldJson) {
    String json = schema.toString();
    int end = json.lastIndexOf(']');
    return new Schema.Parser().parse(json.substring(0, end) + "," + fieldJson
        + json.substring(end));
  }

  private static GenericRecord event(Schema schema, String id) {
    GenericRecord event = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      if (field.hasDefaultValue()) {
        event.put(field.name(), GenericData.get().getDefaultValue(field));
      }
    }
    event.put("event_id", id);
    event.put("text", "hello");
    return event;
  }
}
