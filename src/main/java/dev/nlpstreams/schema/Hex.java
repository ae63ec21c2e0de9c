package dev.nlpstreams.schema;

/** The first bytes of a payload in hex, for error messages about unreadable values. */
public final class Hex {
  private Hex() {}

  /** The first four bytes, as in "6E 6F 74 20 ...". */
  public static String prefix(byte[] payload) {
    return prefix(payload, 4);
  }

  public static String prefix(byte[] payload, int bytes) {
    if (payload == null || payload.length == 0) {
      return "an empty payload";
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(bytes, payload.length); i++) {
      hex.append(String.format("%02X ", payload[i]));
    }
    return hex.toString().trim() + (payload.length > bytes ? " ..." : "");
  }
}
