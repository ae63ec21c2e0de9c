package dev.nlpstreams.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.schema.avro.ReasonCode;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class JsonRecordConverterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A user's schema with nesting, an optional record, an enum, collections and defaults. */
  private static final Schema REVIEW = new Schema.Parser().parse("""
      {"type":"record","name":"Review","namespace":"shop","fields":[
        {"name":"id","type":"string"},
        {"name":"stars","type":"int"},
        {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
        {"name":"score","type":"double","default":0.5},
        {"name":"channel","type":{"type":"enum","name":"Channel","symbols":["WEB","APP"]},
         "default":"WEB"},
        {"name":"tags","type":{"type":"array","items":"string"},"default":[]},
        {"name":"labels","type":{"type":"map","values":"int"},"default":{}},
        {"name":"payload","type":["null",{"type":"record","name":"Payload","fields":[
          {"name":"body","type":["null","string"],"default":null},
          {"name":"beams","type":["null","int"],"default":null}]}],"default":null}]}
      """);

  private static GenericRecord convert(String json) throws Exception {
    return JsonRecordConverter.convert(JSON.readTree(json), REVIEW);
  }

  @Test
  @SuppressWarnings("unchecked")
  void plainJsonBecomesARecordWithDefaultsForMissingFields() throws Exception {
    GenericRecord review = convert("""
        {"id":"r-1","stars":4,"at":1700000000000,"channel":"APP","tags":["a","b"],
         "labels":{"x":1},"payload":{"body":"Great phone.","beams":3}}""");

    assertThat(review.get("id")).isEqualTo("r-1");
    assertThat(review.get("stars")).isEqualTo(4);
    assertThat(review.get("at")).isEqualTo(1_700_000_000_000L);
    assertThat(review.get("score")).isEqualTo(0.5);
    assertThat(review.get("channel").toString()).isEqualTo("APP");
    assertThat((List<Object>) review.get("tags")).containsExactly("a", "b");
    assertThat((Map<Object, Object>) review.get("labels")).containsEntry("x", 1);
    GenericRecord payload = (GenericRecord) review.get("payload");
    assertThat(payload.get("body")).isEqualTo("Great phone.");
    assertThat(payload.get("beams")).isEqualTo(3);
    // What a writer accepts: the record is valid for its schema.
    assertThat(GenericData.get().validate(REVIEW, review)).isTrue();
  }

  @Test
  void nullAndAvroTaggedUnionValuesAreAccepted() throws Exception {
    assertThat(convert("{\"id\":\"r\",\"stars\":1,\"at\":0,\"payload\":null}").get("payload"))
        .isNull();
    GenericRecord tagged = convert("{\"id\":\"r\",\"stars\":1,\"at\":0,\"payload\":"
        + "{\"shop.Payload\":{\"body\":{\"string\":\"x\"}}}}");
    assertThat(((GenericRecord) tagged.get("payload")).get("body")).isEqualTo("x");
  }

  @Test
  void aValueThatDoesNotFitNamesTheField() {
    assertRefused("{\"id\":\"r\",\"stars\":\"4\",\"at\":0}",
        "Does not fit schema shop.Review: field 'stars': expected int, found JSON string");
    assertRefused("{\"id\":\"r\",\"stars\":4,\"at\":0,\"payload\":{\"beams\":\"3\"}}",
        "field 'payload.beams': expected null or int, found JSON string");
    assertRefused("{\"id\":\"r\",\"stars\":4,\"at\":0,\"tags\":[\"a\",2]}",
        "field 'tags[1]': expected string, found JSON number");
    assertRefused("{\"id\":\"r\",\"stars\":4,\"at\":0,\"channel\":\"FAX\"}",
        "field 'channel': expected one of [WEB, APP]");
    assertRefused("{\"id\":\"r\",\"stars\":4}", "field 'at' is missing and has no default");
    assertRefused("{\"id\":\"r\",\"stars\":4,\"at\":0,\"payload\":{\"bdy\":\"typo\"}}",
        "field 'payload.bdy' is not in shop.Payload");
    assertRefused("{\"id\":\"r\",\"stars\":4.5,\"at\":0}", "field 'stars': expected int");
  }

  private static void assertRefused(String json, String message) {
    assertThatThrownBy(() -> convert(json))
        .isInstanceOfSatisfying(PayloadException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.MALFORMED_PAYLOAD))
        .hasMessageContaining(message);
  }
}
