package dev.nlpstreams.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nlpstreams.schema.avro.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Plain JSON (as people write it, not Avro's own JSON encoding with its union wrappers) to a
 * generic record of a given schema, field by field: missing fields take their schema default,
 * union branches are chosen by the JSON value, and a value that fits no type is refused with the
 * path of the field. Avro's {@code {"type": value}} union wrapper is accepted too, so the output of
 * Avro tools reads as well. Unknown JSON members are refused: a typo must not silently become a
 * default.
 */
public final class JsonRecordConverter {

  private JsonRecordConverter() {}

  /**
   * @throws PayloadException MALFORMED_PAYLOAD naming the first field that does not fit
   */
  public static GenericRecord convert(JsonNode json, Schema schema) throws PayloadException {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("A record schema is needed; got " + schema.getType());
    }
    try {
      return (GenericRecord) value(json, schema, "");
    } catch (Mismatch e) {
      throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Does not fit schema "
          + schema.getFullName() + ": " + e.getMessage(), null);
    }
  }

  /** Why a value does not fit; unchecked inside the recursion, turned into a PayloadException. */
  private static final class Mismatch extends RuntimeException {
    Mismatch(String path, String expected, JsonNode found) {
      super((path.isEmpty() ? "the value" : "field '" + path + "'") + ": expected " + expected
          + ", found " + describe(found), null, false, false);
    }

    Mismatch(String message) {
      super(message, null, false, false);
    }
  }

  private static Object value(JsonNode json, Schema schema, String path) {
    switch (schema.getType()) {
      case NULL -> {
        if (json == null || json.isNull()) {
          return null;
        }
      }
      case BOOLEAN -> {
        if (json.isBoolean()) {
          return json.booleanValue();
        }
      }
      case INT -> {
        if (json.isIntegralNumber() && json.canConvertToInt()) {
          return json.intValue();
        }
      }
      case LONG -> {
        if (json.isIntegralNumber() && json.canConvertToLong()) {
          return json.longValue();
        }
      }
      case FLOAT -> {
        if (json.isNumber()) {
          return json.floatValue();
        }
      }
      case DOUBLE -> {
        if (json.isNumber()) {
          return json.doubleValue();
        }
      }
      case STRING -> {
        if (json.isTextual()) {
          return json.textValue();
        }
      }
      case BYTES -> {
        // Avro's JSON encoding writes bytes as a string of code points 0-255.
        if (json.isTextual()) {
          return ByteBuffer.wrap(json.textValue().getBytes(StandardCharsets.ISO_8859_1));
        }
      }
      case FIXED -> {
        if (json.isTextual()) {
          byte[] bytes = json.textValue().getBytes(StandardCharsets.ISO_8859_1);
          if (bytes.length == schema.getFixedSize()) {
            return new GenericData.Fixed(schema, bytes);
          }
        }
      }
      case ENUM -> {
        if (json.isTextual() && schema.hasEnumSymbol(json.textValue())) {
          return new GenericData.EnumSymbol(schema, json.textValue());
        }
        if (json.isTextual()) {
          throw new Mismatch(path, "one of " + schema.getEnumSymbols(), json);
        }
      }
      case ARRAY -> {
        if (json.isArray()) {
          List<Object> items = new ArrayList<>(json.size());
          for (int i = 0; i < json.size(); i++) {
            items.add(value(json.get(i), schema.getElementType(), path + "[" + i + "]"));
          }
          return new GenericData.Array<>(schema, items);
        }
      }
      case MAP -> {
        if (json.isObject()) {
          Map<String, Object> map = new LinkedHashMap<>();
          for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            map.put(entry.getKey(), value(entry.getValue(), schema.getValueType(),
                child(path, entry.getKey())));
          }
          return map;
        }
      }
      case RECORD -> {
        if (json.isObject()) {
          return record(json, schema, path);
        }
      }
      case UNION -> {
        return union(json, schema, path);
      }
      default -> throw new Mismatch("field '" + path + "': unsupported schema type "
          + schema.getType());
    }
    throw new Mismatch(path, typeName(schema), json);
  }

  private static GenericRecord record(JsonNode json, Schema schema, String path) {
    GenericRecord record = new GenericData.Record(schema);
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (schema.getField(name) == null) {
        throw new Mismatch("field '" + child(path, name) + "' is not in " + schema.getFullName());
      }
    }
    for (Schema.Field field : schema.getFields()) {
      JsonNode member = json.get(field.name());
      String fieldPath = child(path, field.name());
      if (member == null) {
        if (!field.hasDefaultValue()) {
          throw new Mismatch("field '" + fieldPath + "' is missing and has no default");
        }
        record.put(field.pos(), GenericData.get().getDefaultValue(field));
      } else {
        record.put(field.pos(), value(member, field.schema(), fieldPath));
      }
    }
    return record;
  }

  private static Object union(JsonNode json, Schema union, String path) {
    Mismatch inside = null;
    for (Schema branch : union.getTypes()) {
      try {
        return value(json, branch, path);
      } catch (Mismatch tryTheNext) {
        // A value fits the first branch that accepts it, as Avro's resolution picks branches.
        // An object or array that failed deep inside a branch of its shape is reported from
        // there ("field 'payload.body'"), not as "expected null or record".
        boolean sameShape = json.isObject() && (branch.getType() == Schema.Type.RECORD
            || branch.getType() == Schema.Type.MAP)
            || json.isArray() && branch.getType() == Schema.Type.ARRAY;
        if (sameShape && inside == null) {
          inside = tryTheNext;
        }
      }
    }
    if (json.isObject() && json.size() == 1) {
      String tag = json.fieldNames().next();
      for (Schema branch : union.getTypes()) {
        if (branch.getFullName().equals(tag) || branch.getType().getName().equals(tag)) {
          return value(json.get(tag), branch, path);
        }
      }
    }
    throw inside != null ? inside : new Mismatch(path, typeName(union), json);
  }

  private static String typeName(Schema schema) {
    return switch (schema.getType()) {
      case RECORD, ENUM, FIXED -> schema.getType().getName() + " " + schema.getFullName();
      case UNION -> String.join(" or ", schema.getTypes().stream()
          .map(JsonRecordConverter::typeName).toList());
      default -> schema.getType().getName();
    };
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String describe(JsonNode json) {
    return json == null ? "nothing" : "JSON " + json.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
