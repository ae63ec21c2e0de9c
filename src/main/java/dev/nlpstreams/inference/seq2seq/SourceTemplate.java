package dev.nlpstreams.inference.seq2seq;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The single-sequence template of a tokenizer.json post-processor: the special tokens placed around
 * the text ({@code __en__ $A </s>} for M2M-100, {@code $A </s> eng_Latn} for legacy NLLB,
 * {@code <s> $A </s>} for BART). Multilingual models put the source language token into it; since
 * a loaded tokenizer's template is fixed, the source ids are assembled here from text encoded
 * without special tokens, swapping the template's language token per request as transformers.js
 * ({@code _build_translation_inputs}) and the Python tokenizers ({@code src_lang}) do.
 */
final class SourceTemplate {

  /** One template element: the text (null token) or a special token with its ids. */
  record Piece(String specialToken, long[] ids) {
    static final Piece TEXT = new Piece(null, new long[0]);

    boolean isText() {
      return specialToken == null;
    }
  }

  private final List<Piece> pieces;

  SourceTemplate(List<Piece> pieces) {
    this.pieces = List.copyOf(pieces);
  }

  /** A template that adds nothing (tokenizers without a post-processor). */
  static SourceTemplate textOnly() {
    return new SourceTemplate(List.of(Piece.TEXT));
  }

  /**
   * Reads a tokenizer.json {@code post_processor}: {@code TemplateProcessing}, the fixed
   * {@code RobertaProcessing} / {@code BertProcessing} ({@code cls $A sep}) and a {@code Sequence}
   * holding one of those. Processors that add no tokens (ByteLevel) and a missing post-processor
   * give {@link #textOnly()}.
   */
  static SourceTemplate fromPostProcessor(JsonNode processor) {
    if (processor == null || processor.isNull() || processor.isMissingNode()) {
      return textOnly();
    }
    String type = processor.path("type").asText("");
    switch (type) {
      case "TemplateProcessing" -> {
        List<Piece> pieces = new ArrayList<>();
        for (JsonNode item : processor.path("single")) {
          if (item.has("Sequence")) {
            pieces.add(Piece.TEXT);
          } else if (item.has("SpecialToken")) {
            String token = item.get("SpecialToken").path("id").asText();
            JsonNode declared = processor.path("special_tokens").path(token).path("ids");
            if (!declared.isArray() || declared.isEmpty()) {
              throw new IllegalArgumentException("tokenizer.json post_processor uses special token '"
                  + token + "' but its special_tokens section gives it no ids");
            }
            long[] ids = new long[declared.size()];
            for (int i = 0; i < ids.length; i++) {
              ids[i] = declared.get(i).asLong();
            }
            pieces.add(new Piece(token, ids));
          }
        }
        return new SourceTemplate(pieces);
      }
      case "RobertaProcessing", "BertProcessing" -> {
        JsonNode cls = processor.path("cls");
        JsonNode sep = processor.path("sep");
        return new SourceTemplate(List.of(
            new Piece(cls.get(0).asText(), new long[] {cls.get(1).asLong()}), Piece.TEXT,
            new Piece(sep.get(0).asText(), new long[] {sep.get(1).asLong()})));
      }
      case "Sequence" -> {
        SourceTemplate found = textOnly();
        for (JsonNode inner : processor.path("processors")) {
          SourceTemplate candidate = fromPostProcessor(inner);
          if (candidate.specialTokenCount() > 0) {
            found = candidate;
          }
        }
        return found;
      }
      default -> {
        return textOnly();
      }
    }
  }

  List<Piece> pieces() {
    return pieces;
  }

  /** Ids the template adds around the text. */
  int specialTokenCount() {
    return pieces.stream().mapToInt(p -> p.ids().length).sum();
  }

  /** The first special token of the template that {@code test} accepts. */
  Optional<String> firstSpecialToken(Predicate<String> test) {
    return pieces.stream().filter(p -> !p.isText() && test.test(p.specialToken()))
        .map(Piece::specialToken).findFirst();
  }

  /** The template filled with {@code text}, exactly as the tokenizer's own post-processor does. */
  long[] assemble(long[] text) {
    return assemble(text, t -> false, -1);
  }

  /**
   * The template filled with {@code text}, its first special token that {@code isLanguage} accepts
   * replaced by {@code languageId}.
   */
  long[] assemble(long[] text, Predicate<String> isLanguage, long languageId) {
    long[] out = new long[text.length * countText() + specialTokenCount()];
    int at = 0;
    boolean replaced = false;
    for (Piece piece : pieces) {
      long[] ids;
      if (piece.isText()) {
        ids = text;
      } else if (!replaced && isLanguage.test(piece.specialToken())) {
        ids = new long[] {languageId};
        replaced = true;
      } else {
        ids = piece.ids();
      }
      if (at + ids.length > out.length) {
        out = Arrays.copyOf(out, at + ids.length);
      }
      System.arraycopy(ids, 0, out, at, ids.length);
      at += ids.length;
    }
    return at == out.length ? out : Arrays.copyOf(out, at);
  }

  private int countText() {
    return (int) pieces.stream().filter(Piece::isText).count();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (Piece p : pieces) {
      s.append(s.length() == 0 ? "" : " ").append(p.isText() ? "$A" : p.specialToken());
    }
    return s.toString();
  }
}
