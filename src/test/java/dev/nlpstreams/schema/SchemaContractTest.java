package dev.nlpstreams.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Embedding;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.Translation;
import dev.nlpstreams.schema.avro.internal.BufferedRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The public contracts stay documented and evolvable. */
class SchemaContractTest {

  private static final List<Schema> CONTRACTS = List.of(TextEvent.getClassSchema(),
      Entities.getClassSchema(), DeadLetter.getClassSchema(), Translation.getClassSchema(),
      Summary.getClassSchema(), Embedding.getClassSchema(), BufferedRecord.getClassSchema());

  @Test
  void everyRecordFieldAndEnumIsDocumented() {
    List<String> undocumented = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Schema contract : CONTRACTS) {
      walk(contract, seen, undocumented);
    }
    assertThat(undocumented).isEmpty();
  }

  @Test
  void everyEnumHasADefaultSoOldReadersSurviveNewSymbols() {
    List<Schema> enums = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Schema contract : CONTRACTS) {
      collectEnums(contract, seen, enums);
    }
    assertThat(enums).isNotEmpty();
    assertThat(enums).allSatisfy(e -> assertThat(e.getEnumDefault()).as(e.getFullName())
        .isNotNull());
  }

  @Test
  void everyInputFieldButTheIdHasADefault() {
    for (Schema.Field field : TextEvent.getClassSchema().getFields()) {
      if (!field.name().equals("event_id")) {
        assertThat(field.hasDefaultValue()).as(field.name()).isTrue();
      }
    }
  }

  private static void walk(Schema schema, Set<String> seen, List<String> undocumented) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        if (blank(schema.getDoc())) {
          undocumented.add(schema.getFullName());
        }
        for (Schema.Field field : schema.getFields()) {
          if (blank(field.doc())) {
            undocumented.add(schema.getFullName() + "." + field.name());
          }
          walk(field.schema(), seen, undocumented);
        }
      }
      case ENUM -> {
        if (seen.add(schema.getFullName()) && blank(schema.getDoc())) {
          undocumented.add(schema.getFullName());
        }
      }
      case UNION -> schema.getTypes().forEach(t -> walk(t, seen, undocumented));
      case ARRAY -> walk(schema.getElementType(), seen, undocumented);
      case MAP -> walk(schema.getValueType(), seen, undocumented);
      default -> {
      }
    }
  }

  private static void collectEnums(Schema schema, Set<String> seen, List<Schema> enums) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.add(schema.getFullName())) {
          schema.getFields().forEach(f -> collectEnums(f.schema(), seen, enums));
        }
      }
      case ENUM -> {
        if (seen.add(schema.getFullName())) {
          enums.add(schema);
        }
      }
      case UNION -> schema.getTypes().forEach(t -> collectEnums(t, seen, enums));
      case ARRAY -> collectEnums(schema.getElementType(), seen, enums);
      case MAP -> collectEnums(schema.getValueType(), seen, enums);
      default -> {
      }
    }
  }

  private static boolean blank(String doc) {
    return doc == null || doc.isBlank();
  }
}
