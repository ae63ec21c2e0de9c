package dev.nlpstreams.schema.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.nlpstreams.schema.Hex;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.TextEventReader;
import dev.nlpstreams.schema.avro.NerOptions;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.SummaryOptions;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TaskOptions;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.TranslationOptions;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentWireFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Reads users' own events: a JSON object, a Confluent-framed Avro record of any schema (read with
 * its writer schema from the registry), or our own TextEvent in single-object encoding, told apart
 * by the first byte. The fields come from the configured {@link FieldMapping}. Thread-safe.
 */
public final class MappedEventReader {

  /** Refuses text after the object: {@code {"text":"a"}{"text":"b"}} is not one event. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final FieldMapping mapping;
  private final ConfluentAvroReader confluent;
  private final TextEventReader ownEvents;

  /** {@code confluent} may be null: then Confluent-framed values are UNKNOWN_SCHEMA. */
  public MappedEventReader(FieldMapping mapping, ConfluentAvroReader confluent) {
    this.mapping = mapping;
    this.confluent = confluent;
    this.ownEvents = new TextEventReader(confluent);
  }

  public TextEvent read(byte[] key, byte[] value) throws PayloadException {
    if (value.length >= 2 && value[0] == (byte) 0xC3 && value[1] == 0x01) {
      return ownEvents.read(value);
    }
    Object root;
    String what;
    if (confluent != null && ConfluentWireFormat.looksFramed(value)) {
      root = confluent.read(value, null, false);
      what = "Avro record (schema id " + ConfluentWireFormat.schemaId(value) + ")";
    } else if (ConfluentWireFormat.looksFramed(value)) {
      return ownEvents.read(value);
    } else if (startsLikeJsonObject(value)) {
      try {
        root = JSON.readTree(value);
      } catch (JsonProcessingException e) {
        throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Not valid JSON: "
            + e.getOriginalMessage(), e);
      } catch (java.io.IOException e) {
        throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Not valid JSON: " + e, e);
      }
      what = "JSON object";
    } else {
      throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Expected a JSON object, a"
          + " Confluent-framed Avro record (magic byte 00) or a single-object TextEvent (C3 01);"
          + " found " + Hex.prefix(value), null);
    }
    return toEvent(key, root, what);
  }

  /**
   * Maps an already decoded value (an Avro record, a JSON node or a map, for example from a
   * plugged-in deserializer) by the field paths.
   */
  public TextEvent toEvent(byte[] key, Object root, String what) throws PayloadException {
    Object text = mapping.text().find(root);
    if (!isString(text)) {
      String found = text == FieldPath.ABSENT ? "is missing" : text == null ? "is null"
          : "is not a string (" + describe(text) + ")";
      throw new PayloadException(ReasonCode.MISSING_TEXT, "Text field '" + mapping.text()
          + "' " + found + " in this " + what + "; every event needs its text there (or set"
          + " nlp.input.field.text to where it is).", null);
    }
    String eventId = optionalString(root, mapping.eventId())
        .orElse(key == null ? "" : new String(key, StandardCharsets.UTF_8));
    TextEvent.Builder event = TextEvent.newBuilder().setEventId(eventId)
        .setText(asString(text))
        .setLanguage(optionalString(root, mapping.language()).orElse(null))
        .setTasks(tasks(root));
    event.setOptions(options(root, what));
    return event.build();
  }

  /** The mapped per-task options, or null when the event carries none (every default kept). */
  private TaskOptions options(Object root, String what) throws PayloadException {
    NerOptions ner = null;
    TranslationOptions translation = null;
    SummaryOptions summary = null;
    for (Map.Entry<TaskOptionField, FieldPath> mapped : mapping.options().entrySet()) {
      TaskOptionField option = mapped.getKey();
      Object value = optionValue(mapped.getValue().find(root), option, mapped.getValue(), what);
      if (value == null) {
        continue;
      }
      SpecificRecordBase section = switch (option.section()) {
        case "ner" -> ner = ner != null ? ner : new NerOptions();
        case "translation" -> translation = translation != null ? translation
            : new TranslationOptions();
        case "summary" -> summary = summary != null ? summary : new SummaryOptions();
        default -> throw new IllegalStateException("No TaskOptions section " + option.section());
      };
      section.put(option.field(), value);
    }
    if (ner == null && translation == null && summary == null) {
      return null;
    }
    return TaskOptions.newBuilder().setNer(ner).setTranslation(translation).setSummary(summary)
        .build();
  }

  /**
   * The option's value in TextEvent's type, null when absent or null; a value of another type is
   * refused rather than coerced, so a producer's mistake shows up as a dead letter naming the
   * field instead of as a silently different model run.
   */
  private static Object optionValue(Object value, TaskOptionField option, FieldPath path,
      String what) throws PayloadException {
    if (value == FieldPath.ABSENT || value == null) {
      return null;
    }
    switch (option.kind()) {
      case STRING -> {
        if (isString(value) || value instanceof GenericEnumSymbol<?>) {
          return asString(value);
        }
      }
      case INT -> {
        if (value instanceof Integer number) {
          return number;
        }
        if (value instanceof Long number && number == number.intValue()) {
          return number.intValue();
        }
        if (value instanceof JsonNode node && node.isIntegralNumber() && node.canConvertToInt()) {
          return node.intValue();
        }
      }
      default -> throw new IllegalStateException("Unknown option kind " + option.kind());
    }
    throw new PayloadException(ReasonCode.INVALID_EVENT, "Option field '" + path + "' ("
        + option.label() + ") is not " + (option.kind() == TaskOptionField.Kind.INT
            ? "an int" : "a string") + " (" + describe(value) + ") in this " + what
        + "; fix the producer, or point nlp.input.field." + option.settingSuffix()
        + " elsewhere.", null);
  }

  private List<Task> tasks(Object root) {
    if (mapping.tasks().isEmpty()) {
      return List.of();
    }
    Object value = mapping.tasks().get().find(root);
    List<String> names = new ArrayList<>();
    if (value instanceof JsonNode node && node.isArray()) {
      node.forEach(item -> names.add(item.asText()));
    } else if (value instanceof Collection<?> items) {
      items.forEach(item -> names.add(String.valueOf(item)));
    } else if (isString(value)) {
      for (String name : asString(value).split(",")) {
        if (!name.isBlank()) {
          names.add(name);
        }
      }
    }
    List<Task> tasks = new ArrayList<>();
    for (String name : names) {
      try {
        tasks.add(Task.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException unknown) {
        // Dead-lettered downstream as UNSUPPORTED_TASK, like an unknown enum symbol.
        tasks.add(Task.UNKNOWN);
      }
    }
    return tasks;
  }

  private static Optional<String> optionalString(Object root, Optional<FieldPath> path) {
    if (path.isEmpty()) {
      return Optional.empty();
    }
    Object value = path.get().find(root);
    if (value == FieldPath.ABSENT || value == null) {
      return Optional.empty();
    }
    return Optional.of(asString(value));
  }

  private static boolean isString(Object value) {
    return value instanceof CharSequence
        || value instanceof JsonNode node && node.isTextual();
  }

  private static String asString(Object value) {
    if (value instanceof JsonNode node) {
      return node.isTextual() ? node.textValue() : node.toString();
    }
    return value.toString();
  }

  private static String describe(Object value) {
    if (value instanceof JsonNode node) {
      return "JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
    if (value instanceof CharSequence) {
      return "Avro string";
    }
    return value.getClass().getSimpleName();
  }

  private static boolean startsLikeJsonObject(byte[] value) {
    for (byte b : value) {
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
        continue;
      }
      return b == '{';
    }
    return false;
  }
}
