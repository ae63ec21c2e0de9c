package dev.nlpstreams.schema.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * A dotted path to a field in a nested record ({@code payload.body}): record fields, map keys and
 * JSON object members are walked alike; a null along the way means the field is absent.
 */
public record FieldPath(String path, List<String> segments) {

  public static FieldPath parse(String path) {
    String trimmed = path.trim();
    List<String> segments = List.of(trimmed.split("\\.", -1));
    if (trimmed.isEmpty() || segments.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("'" + path + "' is not a field path; write field names"
          + " separated by dots, for example payload.body");
    }
    return new FieldPath(trimmed, segments);
  }

  /** The value at this path in an Avro record, JSON node or map; {@link #ABSENT} if not there. */
  public Object find(Object root) {
    Object current = root;
    for (String segment : segments) {
      current = child(current, segment);
      if (current == ABSENT) {
        return ABSENT;
      }
    }
    if (current instanceof JsonNode node) {
      return node.isNull() ? null : node;
    }
    return current;
  }

  /** Marks a path that leads nowhere (as opposed to a field that is present and null). */
  public static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "absent";
    }
  };

  private static Object child(Object parent, String name) {
    if (parent instanceof GenericRecord record) {
      return record.getSchema().getField(name) == null ? ABSENT : record.get(name);
    }
    if (parent instanceof JsonNode node) {
      JsonNode child = node.get(name);
      return child == null ? ABSENT : child;
    }
    if (parent instanceof Map<?, ?> map) {
      Object value = map.containsKey(name) ? map.get(name) : map.get(new Utf8(name));
      return value == null && !map.containsKey(name) && !map.containsKey(new Utf8(name))
          ? ABSENT : value;
    }
    return ABSENT;
  }

  @Override
  public String toString() {
    return path;
  }
}
