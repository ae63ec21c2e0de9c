package dev.nlpstreams.text.generation;

import java.util.ArrayList;
import java.util.List;

/**
 * The processors a {@link GenerationConfig} implies, in the order of Hugging Face's
 * {@code _get_logits_processor}: repetition penalty, no-repeat n-gram, bad words, min length,
 * min new tokens, forced BOS, forced EOS, then logit normalisation when renormalize_logits is set.
 */
public final class LogitsProcessorChain implements LogitsProcessor {
  private final List<LogitsProcessor> processors;

  public LogitsProcessorChain(List<LogitsProcessor> processors) {
    this.processors = List.copyOf(processors);
  }

  public static LogitsProcessorChain forConfig(GenerationConfig c) {
    List<LogitsProcessor> p = new ArrayList<>();
    if (c.repetitionPenalty() != 1.0) {
      p.add(new RepetitionPenaltyProcessor(c.repetitionPenalty()));
    }
    if (c.noRepeatNgramSize() > 0) {
      p.add(new NoRepeatNGramProcessor(c.noRepeatNgramSize()));
    }
    if (!c.badWordsIds().isEmpty()) {
      p.add(new BadWordsProcessor(c.badWordsIds(), c.eosTokenIds()));
    }
    if (c.minLength() > 0 && !c.eosTokenIds().isEmpty()) {
      p.add(new MinLengthProcessor(c.minLength(), 0, c.eosTokenIds()));
    }
    if (c.minNewTokens() > 0 && !c.eosTokenIds().isEmpty()) {
      p.add(new MinLengthProcessor(c.minNewTokens(), 1, c.eosTokenIds()));
    }
    if (c.forcedBosTokenId().isPresent()) {
      p.add(ForcedTokenProcessor.firstToken(c.forcedBosTokenId().getAsInt()));
    }
    if (!c.forcedEosTokenIds().isEmpty()) {
      p.add(ForcedTokenProcessor.lastToken(c.maxLength(), c.forcedEosTokenIds()));
    }
    if (c.renormalizeLogits()) {
      // HF appends LogitNormalization after every other processor.
      p.add(new LogitNormalizationProcessor());
    }
    return new LogitsProcessorChain(p);
  }

  public List<LogitsProcessor> processors() {
    return processors;
  }

  @Override
  public void process(int[] decoderTokens, double[] scores) {
    for (LogitsProcessor p : processors) {
      p.process(decoderTokens, scores);
    }
  }
}
