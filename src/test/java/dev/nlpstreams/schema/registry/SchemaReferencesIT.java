package dev.nlpstreams.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nlpstreams.schema.OutputFraming;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.ModelInfo;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.confluent.ConfluentWireFormat;
import dev.nlpstreams.schema.mapping.FieldMapping;
import dev.nlpstreams.schema.mapping.MappedEventReader;
import dev.nlpstreams.schema.mapping.RecordEnricher;
import dev.nlpstreams.testsupport.SharedKafkaBroker;
import dev.nlpstreams.testsupport.SharedSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Confluent schema references against the real Apicurio Registry (its ccompat API stores and
 * returns the {@code references} array): a user's event schema that only names a type defined
 * under another subject is resolved, read by field paths, and enriched.
 */
class SchemaReferencesIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String NOTE = "{\"type\":\"record\",\"name\":\"Note\",\"namespace\":"
      + "\"crm\",\"fields\":[{\"name\":\"text\",\"type\":\"string\"},"
      + "{\"name\":\"lang\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
  private static final String TICKET = "{\"type\":\"record\",\"name\":\"Ticket\",\"namespace\":"
      + "\"crm\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
      + "{\"name\":\"note\",\"type\":\"crm.Note\"}]}";

  /** Registers as another client would, with references; our client registers inline schemas. */
  private static int register(String subject, String schema, String referencesJson)
      throws Exception {
    ObjectNode body = JSON.createObjectNode().put("schema", schema);
    body.set("references", JSON.readTree(referencesJson));
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(SharedSchemaRegistry.url() + "/subjects/" + subject + "/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("id").asInt();
  }

  @Test
  void aSchemaThatReferencesAnotherSubjectIsResolvedReadAndEnriched() throws Exception {
    String noteSubject = SharedKafkaBroker.uniqueTopicName("note");
    String topic = SharedKafkaBroker.uniqueTopicName("tickets");
    register(noteSubject, NOTE, "[]");
    int ticketId = register(topic + "-value", TICKET, "[{\"name\":\"crm.Note\",\"subject\":\""
        + noteSubject + "\",\"version\":1}]");
    RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
        SharedSchemaRegistry.url()));
    HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);

    // By id (the read path) and as the subject's latest version (produce --value-schema-latest).
    Schema ticket = client.schemaById(ticketId);
    assertThat(ticket.getField("note").schema().getFullName()).isEqualTo("crm.Note");
    assertThat(ticket.getField("note").schema().getField("text")).isNotNull();
    assertThat(new HttpSchemaRegistryClient(settings).latest(topic + "-value").schema())
        .isEqualTo(ticket);

    // A producer's record of that schema, in Confluent framing with the registered id.
    GenericRecord note = new GenericData.Record(ticket.getField("note").schema());
    note.put("text", "Angela Merkel called about her order.");
    note.put("lang", "en");
    GenericRecord record = new GenericData.Record(ticket);
    record.put("id", "t-1");
    record.put("note", note);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(body, null);
    new GenericDatumWriter<GenericRecord>(ticket).write(record, encoder);
    encoder.flush();
    byte[] framed = ConfluentWireFormat.frame(ticketId, body.toByteArray());

    ConfluentAvroReader reader = new ConfluentAvroReader(client);
    TextEvent event = new MappedEventReader(FieldMapping.of("note.text", "id", "note.lang", ""),
        reader).read(null, framed);
    assertThat(event.getEventId()).isEqualTo("t-1");
    assertThat(event.getText()).isEqualTo("Angela Merkel called about her order.");
    assertThat(event.getLanguage()).isEqualTo("en");

    // Enriched: the derived schema (every type inline) registers under the output subject.
    String outTopic = SharedKafkaBroker.uniqueTopicName("tickets-enriched");
    byte[] enriched = new RecordEnricher(reader, new ConfluentAvroSerializer(client, settings,
        false), OutputFraming.CONFLUENT).enrich(outTopic, framed, Entities.newBuilder()
        .setEventId("t-1").setModel(ModelInfo.newBuilder().setName("ner-test").build()).build());
    GenericRecord back = (GenericRecord) new ConfluentAvroReader(
        new HttpSchemaRegistryClient(settings)).read(enriched, null, false);
    assertThat(((GenericRecord) back.get("note")).get("text").toString())
        .isEqualTo("Angela Merkel called about her order.");
    assertThat(back.getSchema().getField("nlp_entities")).isNotNull();
    assertThat(ConfluentWireFormat.schemaId(enriched)).isNotEqualTo(ticketId);
  }
}
