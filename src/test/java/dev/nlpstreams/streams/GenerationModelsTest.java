package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.text.task.GenerationRequest;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The layering cache of generation settings stays bounded whatever options records carry. */
class GenerationModelsTest {

  private final GenerationModels models = new GenerationModels(
      Map.of("fake", new FakeGenerator("fake", 64, Set.of())), Map.of(),
      new GenerationLimits(6, 4, 64, 3));
  private final GenerationRequest request = GenerationRequest.summarize("ignored");

  @Test
  void aMinLengthNoOutputCanReachIsRefusedWithoutResolvingASetting() {
    for (int minLength = 1_000; minLength < 3_000; minLength++) {
      assertThat(models.checkRecordLayer("fake", request,
          GenerationModels.recordLayer(null, null, minLength)))
          .contains("cannot be reached").contains("nlp.generation.max.new.tokens.limit");
    }
    assertThat(models.cachedConfigurations()).isZero();
  }

  @Test
  void distinctOptionSetsBeyondTheBoundAreResolvedButNotCached() {
    int combinations = 0;
    for (int maxNew = 1; maxNew <= 64; maxNew++) {
      for (int beams = 1; beams <= 4; beams++) {
        for (int minLength = 0; minLength <= 20; minLength++) {
          var layer = GenerationModels.recordLayer(maxNew, beams, minLength);
          assertThat(models.config("fake", request, layer).maxLength()).isPositive();
          combinations++;
        }
      }
    }
    assertThat(combinations).isGreaterThan(GenerationModels.MAX_CACHED);
    assertThat(models.cachedConfigurations()).isEqualTo(GenerationModels.MAX_CACHED);
    // A cached and an uncached option set resolve alike.
    assertThat(models.config("fake", request, GenerationModels.recordLayer(64, 4, 20)))
        .isEqualTo(models.config("fake", request, GenerationModels.recordLayer(64, 4, 20)));
  }
}
