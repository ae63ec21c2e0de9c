package dev.nlpstreams.schema.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.OutputFraming;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.ModelInfo;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.confluent.ConfluentWireFormat;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RecordedRegistry;
import dev.nlpstreams.schema.registry.RegistrySettings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.junit.jupiter.api.Test;

class RecordEnricherTest {

  private static final Schema ORDER = new Schema.Parser().parse("{\"type\":\"record\",\"name\":"
      + "\"Order\",\"namespace\":\"shop\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
      + "{\"name\":\"payload\",\"type\":{\"type\":\"record\",\"name\":\"Payload\",\"fields\":"
      + "[{\"name\":\"body\",\"type\":\"string\"}]}}]}");
  private static final Entities RESULT = Entities.newBuilder().setEventId("o-1")
      .setModel(ModelInfo.newBuilder().setName("ner-test").build()).build();

  @Test
  void avroInputGetsTheWriterSchemaPlusAnOptionalResultField() throws Exception {
    try (RecordedRegistry registry = new RecordedRegistry()) {
      registry.on("POST", "/subjects/orders-value/versions", 200, "{\"id\":1}");
      registry.on("POST", "/subjects/entities-value/versions", 200, "{\"id\":2}");
      RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
          registry.url()));
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);
      ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(client, settings, false);
      ConfluentAvroReader reader = new ConfluentAvroReader(client);
      RecordEnricher enricher = new RecordEnricher(reader, serializer, OutputFraming.CONFLUENT);
      GenericRecord payload = new GenericData.Record(ORDER.getField("payload").schema());
      payload.put("body", "Angela Merkel met Tim Cook.");
      GenericRecord order = new GenericData.Record(ORDER);
      order.put("id", "o-1");
      order.put("payload", payload);

      byte[] enriched = enricher.enrich("entities", serializer.serialize("orders", order),
          RESULT);

      assertThat(ConfluentWireFormat.schemaId(enriched)).isEqualTo(2);
      GenericRecord back = (GenericRecord) reader.read(enriched, null, false);
      assertThat(back.getSchema().getFullName()).isEqualTo("shop.Order");
      assertThat(((GenericRecord) back.get("payload")).get("body").toString())
          .isEqualTo("Angela Merkel met Tim Cook.");
      GenericRecord entities = (GenericRecord) back.get("nlp_entities");
      assertThat(entities.get("event_id").toString()).isEqualTo("o-1");
      // The input's consumers can read the enriched records with the input schema.
      assertThat(SchemaCompatibility.checkReaderWriterCompatibility(ORDER, back.getSchema())
          .getType()).isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
      // Derived once per writer schema and result type.
      assertThat(enricher.enrichedSchema(ORDER, Entities.getClassSchema()))
          .isSameAs(enricher.enrichedSchema(ORDER, Entities.getClassSchema()));
    }
  }

  @Test
  void jsonInputGetsTheSameShape() throws Exception {
    RecordEnricher enricher = new RecordEnricher(null, null, OutputFraming.SINGLE_OBJECT);

    byte[] enriched = enricher.enrich("entities",
        "{\"id\":\"o-1\",\"payload\":{\"body\":\"hi\"}}".getBytes(StandardCharsets.UTF_8), RESULT);

    JsonNode json = new ObjectMapper().readTree(enriched);
    assertThat(json.path("payload").path("body").asText()).isEqualTo("hi");
    assertThat(json.path("nlp_entities").path("event_id").asText()).isEqualTo("o-1");
    assertThat(json.path("nlp_entities").path("model").path("name").asText())
        .isEqualTo("ner-test");
  }

  @Test
  void singleObjectTextEventsStaySingleObjectWithoutARegistry() throws Exception {
    RecordEnricher enricher = new RecordEnricher(null, null, OutputFraming.SINGLE_OBJECT);
    TextEvent event = TextEvent.newBuilder().setEventId("o-1").setText("hi").build();

    byte[] enriched = enricher.enrich("entities", Codecs.TEXT_EVENT.encode(event), RESULT);

    Schema schema = enricher.enrichedSchema(TextEvent.getClassSchema(),
        Entities.getClassSchema());
    GenericRecord back = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), schema)
        .decode(enriched);
    assertThat(back.get("text").toString()).isEqualTo("hi");
    assertThat(((GenericRecord) back.get("nlp_entities")).get("event_id").toString())
        .isEqualTo("o-1");
    // Our own TextEvent readers skip the added field.
    assertThat(new AvroCodec<TextEvent>(TextEvent.getClassSchema()).acceptingWriterSchema(schema)
        .decode(enriched)).isEqualTo(event);
  }
}
