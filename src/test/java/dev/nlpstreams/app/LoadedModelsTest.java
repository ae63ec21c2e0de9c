package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.app.tasks.PortWrapper;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.streams.TaskStage;
import dev.nlpstreams.text.task.EntityRecognizer;
import dev.nlpstreams.text.task.TextGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * Model loading iterates over the task modules: each configured task's models (the bundled tiny
 * ones here) are loaded, reported, wrapped and closed through the one loader API.
 */
class LoadedModelsTest {

  @Test
  void loadsTheConfiguredTasksModelsInModuleOrder() {
    List<String> wrapped = new ArrayList<>();
    PortWrapper recording = new PortWrapper() {
      @Override
      public <T> T wrap(Task task, Class<T> type, T model) {
        wrapped.add(task + ":" + type.getSimpleName());
        return model;
      }
    };
    // Listed out of module order on purpose: loading and stages follow the module list.
    NlpStreamsConfig config = NlpStreamsConfig.of(Map.of(NlpStreamsConfig.TASKS, "summarize,ner"));
    try (LoadedModels models = LoadedModels.load(config, recording)) {
      assertThat(models.models()).extracting(LoadedModels.TaskModel::task)
          .containsExactly("ner", "summarize");
      assertThat(models.summary())
          .isEqualTo("NER ner-bert-wordpiece on cpu, summaries bart-tiny-summarizer on cpu");
      assertThat(models.device()).isEqualTo("cpu");
      assertThat(wrapped).containsExactly("NER:" + EntityRecognizer.class.getSimpleName(),
          "SUMMARIZE:" + TextGenerator.class.getSimpleName());
      assertThat(models.stages(NlpStreamsApp.topologySettings(config)))
          .extracting(TaskStage::task).containsExactly(Task.NER, Task.SUMMARIZE);
      assertThat(models.model(dev.nlpstreams.inference.OnnxEntityRecognizer.class)).isNotNull();
      assertThat(models.stopRuns(Duration.ofSeconds(5))).isTrue();
    }
  }

  /** Each task's precision reaches its loader: int8 runs other graphs (another version). */
  @Test
  void int8PrecisionLoadsTheBundledQuantizedGraphs() {
    Map<String, String> settings = Map.of(NlpStreamsConfig.TASKS, "ner,translate",
        NlpStreamsConfig.TRANSLATION_MODELS, "en->de=bundled:marian-tiny-en-de");
    Map<String, String> int8 = new java.util.HashMap<>(settings);
    int8.put("nlp.ner.precision", "int8");
    int8.put("nlp.translation.precision", "int8");
    List<String> fp32Versions;
    List<String> int8Versions;
    try (LoadedModels models = LoadedModels.load(NlpStreamsConfig.of(settings))) {
      fp32Versions = versions(models);
    }
    try (LoadedModels models = LoadedModels.load(NlpStreamsConfig.of(int8))) {
      int8Versions = versions(models);
    }
    assertThat(int8Versions).hasSize(2);
    assertThat(int8Versions.get(0)).isNotEqualTo(fp32Versions.get(0));
    assertThat(int8Versions.get(1)).isNotEqualTo(fp32Versions.get(1));
  }

  @Test
  void int8WithoutQuantizedGraphsSaysHowToMakeThem() {
    // The bundled BART summarizer ships without int8 graphs.
    NlpStreamsConfig config = NlpStreamsConfig.of(Map.of(NlpStreamsConfig.TASKS, "summarize",
        "nlp.summarization.precision", "int8"));
    // Its directory is a temporary extraction, so the message names the bundled model instead.
    assertThatThrownBy(() -> LoadedModels.load(config))
        .hasMessageContaining("The bundled model bundled:")
        .hasMessageContaining("onnx/encoder_model_quantized.onnx")
        .hasMessageContaining("set the task's precision to fp32")
        .hasMessageContaining("generate_models.py quantize --model <dir>")
        .hasMessageNotContaining(System.getProperty("java.io.tmpdir"));
  }

  private static List<String> versions(LoadedModels models) {
    return models.models().stream().map(m -> m.model().identity().version()).toList();
  }

  @Test
  void aFailedLoadKeepsTheRefusalMessage() {
    NlpStreamsConfig config = NlpStreamsConfig.of(Map.of(NlpStreamsConfig.TASKS, "translate",
        NlpStreamsConfig.TRANSLATION_MODELS,
        "en->de=bundled:marian-tiny-en-de,de->en=bundled:marian-tiny-en-de"));
    assertThatThrownBy(() -> LoadedModels.load(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("lists two models named 'marian-tiny-en-de'");
  }
}
