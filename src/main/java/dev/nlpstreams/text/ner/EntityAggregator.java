package dev.nlpstreams.text.ner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the logits of a token-classification model into entities exactly as the Hugging Face
 * {@code TokenClassificationPipeline} post-processing does (transformers 4.4x-4.5x), and merges the
 * results of the sliding windows of a long text.
 *
 * <p>Per window: softmax over each token's logits; special tokens skipped; for FIRST/AVERAGE/MAX the
 * sub-tokens of a word are first fused into one prediction; tokens (SIMPLE) or words are grouped while
 * the tag stays the same and the next label is not a {@code B-} label (a label without B-/I- prefix
 * counts as {@code I-} of itself); groups score the mean of their members; results whose label (NONE)
 * or entity group (aggregated) is in {@code ignoreLabels} are dropped after grouping, so
 * {@code I-ORG O I-ORG} gives two ORG entities. Immutable and thread-safe.
 */
public final class EntityAggregator {

  /** The pipeline's default: drop tokens and groups labelled {@code O}. */
  public static final Set<String> DEFAULT_IGNORE_LABELS = Set.of("O");

  private final List<String> id2label;
  private final AggregationStrategy strategy;
  private final Set<String> ignoreLabels;
  private final boolean wordAwareSubwords;

  /**
   * @param id2label label of each logit column, from the model's {@code config.json}
   * @param ignoreLabels labels (NONE) or entity groups (aggregated strategies) to drop
   * @param wordAwareSubwords true when the tokenizer model has a {@code continuing_subword_prefix}
   *     (WordPiece {@code ##}): a token is then a sub-word when its string and the text it covers
   *     differ in length. False falls back to the pipeline's heuristic: a token is a sub-word when
   *     neither the character before it nor its first character is a space, which is what
   *     byte-level BPE and SentencePiece models get in Python too.
   */
  public EntityAggregator(List<String> id2label, AggregationStrategy strategy, Set<String> ignoreLabels,
      boolean wordAwareSubwords) {
    Objects.requireNonNull(id2label, "id2label");
    if (id2label.isEmpty()) {
      throw new IllegalArgumentException("id2label is empty; the model config must name its labels");
    }
    this.id2label = List.copyOf(id2label); // also rejects null labels
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.ignoreLabels = Set.copyOf(Objects.requireNonNull(ignoreLabels, "ignoreLabels"));
    this.wordAwareSubwords = wordAwareSubwords;
  }

  /** An aggregator that ignores the {@code O} label, as the pipeline does by default. */
  public EntityAggregator(List<String> id2label, AggregationStrategy strategy,
      boolean wordAwareSubwords) {
    this(id2label, strategy, DEFAULT_IGNORE_LABELS, wordAwareSubwords);
  }

  public List<String> id2label() {
    return id2label;
  }

  public AggregationStrategy strategy() {
    return strategy;
  }

  public Set<String> ignoreLabels() {
    return ignoreLabels;
  }

  public boolean wordAwareSubwords() {
    return wordAwareSubwords;
  }

  /**
   * Entities of one window, in text order.
   *
   * @param text the whole original text (offsets of every window point into it)
   * @param tokens the window's full input sequence, special tokens and padding included
   * @param logits the model output for the window, {@code [tokens.size()][id2label.size()]}
   * @throws IllegalArgumentException when shapes disagree, an offset lies outside the text or splits
   *     a surrogate pair, or a logit is not finite
   */
  public List<Entity> aggregate(String text, List<TokenSpan> tokens, float[][] logits) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(logits, "logits");
    if (logits.length != tokens.size()) {
      throw new IllegalArgumentException("logits have " + logits.length + " rows but the window has "
          + tokens.size() + " tokens; pass every token of the window, padding as special tokens");
    }
    TextOffsets offsets = TextOffsets.of(text);
    List<Token> content = gather(text, tokens, logits);

    if (strategy == AggregationStrategy.NONE) {
      List<Entity> entities = new ArrayList<>();
      for (Token token : content) {
        int best = argmax(token.probs);
        String label = id2label.get(best);
        if (!ignoreLabels.contains(label)) {
          entities.add(entity(text, offsets, label, token.probs[best], token.start, token.end,
              token.index));
        }
      }
      return List.copyOf(entities);
    }

    List<Prediction> predictions = new ArrayList<>();
    if (strategy == AggregationStrategy.SIMPLE) {
      for (Token token : content) {
        int best = argmax(token.probs);
        predictions.add(
            new Prediction(id2label.get(best), token.probs[best], token.start, token.end));
      }
    } else {
      predictions = fuseWords(content);
    }
    return group(text, offsets, predictions);
  }

  /**
   * Combines the per-window results of one text into one list in text order.
   *
   * <p>Aggregated strategies follow the pipeline's {@code aggregate_overlapping_entities}: entities of
   * all windows sorted by start (stable); an entity starting inside the entity currently kept competes
   * with it, the longer wins and at equal length the higher score wins (ties keep the earlier one).
   * This is what removes a word cut by a window edge (the partial word is shorter) and an entity seen
   * whole by two windows.
   *
   * <p>The pipeline refuses NONE with a stride, so this rule is ours: windows are slices of one
   * tokenization, so a token seen by two windows has the same offsets in both. A token is identified by
   * its UTF-16 span plus its rank among the window's tokens with that very span (byte-level BPE can give
   * several tokens of one character the same span), reported once, with the higher of its scores
   * (earlier window on ties); {@code tokenIndex} stays relative to the window it came from. A token
   * dropped by {@code ignoreLabels} in one window but not in the other is reported. Known limit: when
   * several same-span tokens of one character are cut by a window edge outside the overlap, only as
   * many as one window holds are reported.
   */
  public List<Entity> mergeWindows(List<List<Entity>> perWindow) {
    Objects.requireNonNull(perWindow, "perWindow");
    if (perWindow.isEmpty()) {
      return List.of();
    }
    if (perWindow.size() == 1) {
      // Like the pipeline, which only merges when there was more than one chunk.
      return List.copyOf(perWindow.get(0));
    }
    return strategy == AggregationStrategy.NONE
        ? mergeTokens(perWindow)
        : mergeOverlapping(perWindow);
  }

  private static List<Entity> mergeOverlapping(List<List<Entity>> perWindow) {
    List<Entity> all = new ArrayList<>();
    perWindow.forEach(all::addAll);
    if (all.isEmpty()) {
      return List.of();
    }
    all.sort(Comparator.comparingInt(Entity::start)); // stable, as Python's sorted()
    List<Entity> merged = new ArrayList<>();
    Entity kept = all.get(0);
    // Starts at 1: the pipeline compares the first entity with itself, a no-op except that it emits a
    // zero-length first entity twice; that duplicate is deliberately not reproduced.
    for (int i = 1; i < all.size(); i++) {
      Entity next = all.get(i);
      if (kept.start() <= next.start() && next.start() < kept.end()) {
        // In characters, as Python counts them: an emoji is one, not two UTF-16 units.
        int nextLength = next.endCodePoint() - next.startCodePoint();
        int keptLength = kept.endCodePoint() - kept.startCodePoint();
        if (nextLength > keptLength || (nextLength == keptLength && next.score() > kept.score())) {
          kept = next;
        }
      } else {
        merged.add(kept);
        kept = next;
      }
    }
    merged.add(kept);
    return List.copyOf(merged);
  }

  private record TokenKey(int start, int end, int rank) {}

  private record Span(int start, int end) {}

  private static List<Entity> mergeTokens(List<List<Entity>> perWindow) {
    Map<TokenKey, Entity> best = new LinkedHashMap<>();
    for (List<Entity> window : perWindow) {
      Map<Span, Integer> seen = new HashMap<>();
      for (Entity entity : window) {
        int rank = seen.merge(new Span(entity.start(), entity.end()), 1, Integer::sum) - 1;
        best.merge(new TokenKey(entity.start(), entity.end(), rank), entity,
            (kept, other) -> other.score() > kept.score() ? other : kept);
      }
    }
    List<Entity> merged = new ArrayList<>(best.values());
    // Stable: same-span tokens were inserted in rank order.
    merged.sort(Comparator.comparingInt(Entity::start).thenComparingInt(Entity::end));
    return List.copyOf(merged);
  }

  /** A content token with its probabilities (the pipeline's "pre-entity"). */
  private record Token(int index, int start, int end, double[] probs, boolean subword) {}

  /** A labelled token or word before grouping. */
  private record Prediction(String label, double score, int start, int end) {}

  private List<Token> gather(String text, List<TokenSpan> tokens, float[][] logits) {
    List<Token> content = new ArrayList<>(tokens.size());
    for (int index = 0; index < tokens.size(); index++) {
      TokenSpan token = Objects.requireNonNull(tokens.get(index), "token " + index);
      if (token.special()) {
        continue;
      }
      if (token.end() > text.length()) {
        throw new IllegalArgumentException("token " + index + " '" + token.piece() + "' ends at "
            + token.end() + ", beyond the text's " + text.length() + " UTF-16 code units");
      }
      double[] probs = softmax(logits[index], index);
      content.add(new Token(index, token.start(), token.end(), probs, isSubword(text, token)));
    }
    return content;
  }

  private boolean isSubword(String text, TokenSpan token) {
    if (token.unknown()) {
      return false;
    }
    if (wordAwareSubwords) {
      // Python compares len() of the token string and of the covered text: code points, not chars.
      int pieceLength = token.piece().codePointCount(0, token.piece().length());
      int textLength = text.codePointCount(token.start(), token.end());
      return pieceLength != textLength;
    }
    // " " not in sentence[start - 1 : start + 1]: only U+0020 counts (a newline does not), and a
    // space can never be half of a surrogate pair, so checking the two UTF-16 units is exact.
    int start = token.start();
    if (start == 0) {
      return false;
    }
    boolean spaceBefore = text.charAt(start - 1) == ' ';
    boolean spaceAt = start < text.length() && text.charAt(start) == ' ';
    return !spaceBefore && !spaceAt;
  }

  private double[] softmax(float[] row, int index) {
    if (row == null || row.length != id2label.size()) {
      throw new IllegalArgumentException("logits row " + index + " has "
          + (row == null ? "no" : String.valueOf(row.length)) + " values but the model has "
          + id2label.size() + " labels");
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float value : row) {
      if (!Float.isFinite(value)) {
        throw new IllegalArgumentException(
            "logits row " + index + " contains " + value + "; the model output is not usable");
      }
      max = Math.max(max, value);
    }
    // Shifting by the maximum keeps exp() from overflowing for large logits.
    double[] probs = new double[row.length];
    double sum = 0;
    for (int i = 0; i < row.length; i++) {
      probs[i] = Math.exp((double) row[i] - max);
      sum += probs[i];
    }
    for (int i = 0; i < probs.length; i++) {
      probs[i] /= sum;
    }
    return probs;
  }

  /** First index of the maximum, as numpy's argmax. */
  private static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  /** {@code aggregate_words}: a token that is not a sub-word starts a word, and so does the first. */
  private List<Prediction> fuseWords(List<Token> content) {
    List<Prediction> words = new ArrayList<>();
    int wordStart = 0;
    for (int i = 1; i <= content.size(); i++) {
      if (i == content.size() || !content.get(i).subword) {
        if (i > wordStart) {
          words.add(fuseWord(content.subList(wordStart, i)));
        }
        wordStart = i;
      }
    }
    return words;
  }

  private Prediction fuseWord(List<Token> word) {
    int start = word.get(0).start;
    int end = word.get(word.size() - 1).end;
    switch (strategy) {
      case FIRST: {
        double[] probs = word.get(0).probs;
        int best = argmax(probs);
        return new Prediction(id2label.get(best), probs[best], start, end);
      }
      case MAX: {
        // Python's max() keeps the first token among equally confident ones.
        double[] chosen = word.get(0).probs;
        for (Token token : word) {
          if (token.probs[argmax(token.probs)] > chosen[argmax(chosen)]) {
            chosen = token.probs;
          }
        }
        int best = argmax(chosen);
        return new Prediction(id2label.get(best), chosen[best], start, end);
      }
      case AVERAGE: {
        double[] mean = new double[id2label.size()];
        for (Token token : word) {
          for (int i = 0; i < mean.length; i++) {
            mean[i] += token.probs[i];
          }
        }
        for (int i = 0; i < mean.length; i++) {
          mean[i] /= word.size();
        }
        int best = argmax(mean);
        return new Prediction(id2label.get(best), mean[best], start, end);
      }
      default:
        throw new IllegalStateException(strategy + " does not fuse words");
    }
  }

  /** {@code group_entities} + {@code group_sub_entities}, then the ignore-label filter. */
  private List<Entity> group(String text, TextOffsets offsets, List<Prediction> predictions) {
    List<Entity> entities = new ArrayList<>();
    int groupStart = 0;
    for (int i = 1; i <= predictions.size(); i++) {
      boolean continues = i < predictions.size()
          && continuesGroup(predictions.get(i - 1).label, predictions.get(i).label);
      if (!continues && i > groupStart) {
        List<Prediction> members = predictions.subList(groupStart, i);
        String entityGroup = entityGroup(members.get(0).label);
        if (!ignoreLabels.contains(entityGroup)) {
          double sum = 0;
          for (Prediction member : members) {
            sum += member.score;
          }
          entities.add(entity(text, offsets, entityGroup, sum / members.size(),
              members.get(0).start, members.get(members.size() - 1).end, -1));
        }
        groupStart = i;
      }
    }
    return List.copyOf(entities);
  }

  /** Same tag as the previous member and not a {@code B-} label ({@code get_tag} in the pipeline). */
  private static boolean continuesGroup(String previous, String next) {
    return tag(previous).equals(tag(next)) && !next.startsWith("B-");
  }

  private static String tag(String label) {
    return label.startsWith("B-") || label.startsWith("I-") ? label.substring(2) : label;
  }

  /**
   * The group's name: the first member's label after its first '-' ({@code split("-", 1)[-1]}), so
   * {@code U-PER} names a PER group even though, as a tag, it does not continue {@code B-PER}.
   */
  private static String entityGroup(String label) {
    int dash = label.indexOf('-');
    return dash < 0 ? label : label.substring(dash + 1);
  }

  private static Entity entity(String text, TextOffsets offsets, String label, double score,
      int start, int end, int tokenIndex) {
    return new Entity(label, text.substring(start, end), (float) score, start, end,
        offsets.toCodePoint(start), offsets.toCodePoint(end), tokenIndex);
  }
}
