package dev.nlpstreams.inference.seq2seq;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/**
 * Greedy summarization against every transformers.js summarization golden (BART with its forced
 * bos, T5 with its "summarize: " prefix); see {@link Seq2SeqGoldens}.
 */
class SummarizationGoldenTest {

  private static final Seq2SeqGoldens GOLDENS = new Seq2SeqGoldens();

  @AfterAll
  static void close() {
    GOLDENS.close();
  }

  @TestFactory
  Stream<DynamicContainer> everySummarizationGolden() {
    return Seq2SeqGoldens.goldens("summarization").stream().map(GOLDENS::checks);
  }
}
