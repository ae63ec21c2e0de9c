package dev.nlpstreams.schema;

import java.lang.reflect.Method;
import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avro's decoder allocates a string, bytes or array of the length a payload declares before it
 * checks that the payload holds that many bytes, and its own limits default to about 2^31. A
 * ten-byte record declaring a two-gigabyte string would therefore end in an
 * {@link OutOfMemoryError} (and, with {@code -XX:+ExitOnOutOfMemoryError}, a crash loop on that
 * record) instead of a dead letter. These defaults turn it into a {@link SystemLimitException},
 * which every decoder here reports as a malformed payload.
 *
 * <p>Avro reads its limits from system properties when it first needs them; so they are set here,
 * before our first decode, unless the operator set them (then theirs stand). Every record
 * is in memory as one array already, so the limits bound what a lying length can cost, not what a
 * real record can hold: raise them with {@code -Dorg.apache.avro.limits.string.maxLength=...} for
 * records of more than 64 MiB.
 */
public final class AvroReadLimits {

  private static final Logger LOG = LoggerFactory.getLogger(AvroReadLimits.class);

  /** Longest string or bytes value a payload may declare: 64 MiB. */
  public static final int DEFAULT_MAX_LENGTH = 64 << 20;
  /** Most items an array or map may declare: 16 Mi references (64-128 MiB of heap). */
  public static final int DEFAULT_MAX_ITEMS = 16 << 20;

  static {
    setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, DEFAULT_MAX_LENGTH);
    setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, DEFAULT_MAX_LENGTH);
    setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, DEFAULT_MAX_ITEMS);
    if (!inForce(SystemLimitException.MAX_STRING_LENGTH_PROPERTY) && !reread()) {
      LOG.warn("Avro's read limits were fixed before nlp-streams could set them: a record that"
          + " declares a huge string can exhaust the heap. Start the JVM with -D{}={} (and the"
          + " bytes and collectionItems limits) to bound it.",
          SystemLimitException.MAX_STRING_LENGTH_PROPERTY, DEFAULT_MAX_LENGTH);
    }
  }

  private AvroReadLimits() {}

  /** Sets the limits if this is the first call; cheap and idempotent after that. */
  public static void install() {
    // The work is in the static initializer, which the JVM runs exactly once.
  }

  private static void setIfAbsent(String property, int value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(value));
    }
  }

  /**
   * Something decoded Avro before us (a user's own code in the same JVM, say), so Avro read its
   * limits without ours. Avro re-reads them in a package-private method it has for its own tests;
   * if a later Avro has no such method, the caller warns instead.
   */
  private static boolean reread() {
    try {
      Method resetLimits = SystemLimitException.class.getDeclaredMethod("resetLimits");
      resetLimits.setAccessible(true);
      resetLimits.invoke(null);
      return inForce(SystemLimitException.MAX_STRING_LENGTH_PROPERTY);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Whether Avro refuses a string one byte longer than the configured limit. */
  private static boolean inForce(String property) {
    long configured;
    try {
      configured = Long.parseLong(System.getProperty(property).trim());
    } catch (NumberFormatException e) {
      return true; // Avro itself refuses a malformed limit, loudly; nothing to add here.
    }
    try {
      SystemLimitException.checkMaxStringLength(configured + 1);
      return false;
    } catch (SystemLimitException e) {
      return true;
    }
  }
}
