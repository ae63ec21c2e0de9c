package dev.nlpstreams.schema.confluent;

/** The first bytes of a payload in hex, for error messages. */
final class Hex {
  private Hex() {}

  static String prefix(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return "an empty payload";
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(5, payload.length); i++) {
      hex.append(String.format("%02X ", payload[i]));
    }
    return hex.toString().trim() + (payload.length > 5 ? " ..." : "");
  }
}
