package dev.nlpstreams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ModelPrecisionTest {

  @Test
  void everyModelTaskDefaultsToFp32() {
    NlpStreamsConfig config = NlpStreamsConfig.of(Map.of());
    assertThat(NerConfig.BLOCK.precision(config)).isEqualTo(ModelPrecision.FP32);
    assertThat(TranslationConfig.BLOCK.precision(config)).isEqualTo(ModelPrecision.FP32);
    assertThat(SummarizationConfig.BLOCK.precision(config)).isEqualTo(ModelPrecision.FP32);
    assertThat(EmbedConfig.BLOCK.precision(config)).isEqualTo(ModelPrecision.FP32);
  }

  @Test
  void eachTaskChoosesItsOwn() {
    NlpStreamsConfig config = NlpStreamsConfig.of(Map.of("nlp.ner.precision", "int8",
        "nlp.translation.precision", " INT8 ", "nlp.summarization.precision", "fp32",
        "nlp.embed.precision", "int8"));
    assertThat(NerConfig.BLOCK.precision(config)).isEqualTo(ModelPrecision.INT8);
    assertThat(TranslationConfig.BLOCK.precision(config)).isEqualTo(ModelPrecision.INT8);
    assertThat(SummarizationConfig.BLOCK.precision(config)).isEqualTo(ModelPrecision.FP32);
    assertThat(EmbedConfig.BLOCK.precision(config)).isEqualTo(ModelPrecision.INT8);
  }

  @Test
  void anUnknownPrecisionNamesTheSettingTheValueAndTheChoices() {
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.translation.precision", "fp16")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nlp.translation.precision")
        .hasMessageContaining("fp16")
        .hasMessageContaining("fp32")
        .hasMessageContaining("int8")
        .hasMessageContaining("_quantized.onnx");
  }

  @Test
  void int8NamesTheQuantizedTwinOfEachGraph() {
    assertThat(ModelPrecision.INT8.graphFile("onnx/model.onnx"))
        .isEqualTo("onnx/model_quantized.onnx");
    assertThat(ModelPrecision.INT8.graphFile("onnx/decoder_model_merged.onnx"))
        .isEqualTo("onnx/decoder_model_merged_quantized.onnx");
    assertThat(ModelPrecision.FP32.graphFile("onnx/encoder_model.onnx"))
        .isEqualTo("onnx/encoder_model.onnx");
    assertThat(ModelPrecision.parse("int8").toString()).isEqualTo("int8");
  }
}
