package dev.nlpstreams.app.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.app.NlpStreamsApp;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.config.TaskConfigBlock;
import dev.nlpstreams.config.TaskConfigBlocks;
import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.streams.InferenceEngines;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.TaskEngines;
import dev.nlpstreams.streams.TaskStage;
import dev.nlpstreams.streams.TopologyIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * The seam that lets a task be added as one module: the module list, the configuration blocks,
 * the Task enum and the topology agree, so nothing else has to name a task.
 */
class TaskModulesTest {

  @Test
  void everyTaskHasExactlyOneModuleAndOneConfigBlock() {
    assertThat(TaskModules.ALL).extracting(TaskModule::task)
        .containsExactlyInAnyOrderElementsOf(runnableTasks());
    assertThat(TaskConfigBlocks.ALL).extracting(TaskConfigBlock::task)
        .containsExactlyInAnyOrderElementsOf(runnableTasks());
    // The same blocks, in the same order: the order is the user-facing order of nlp.tasks.
    assertThat(TaskModules.ALL).extracting(TaskModule::config)
        .containsExactlyElementsOf(TaskConfigBlocks.ALL);
    assertThat(TaskModules.ALL).extracting(TaskModule::name).doesNotHaveDuplicates();
  }

  @Test
  void nlpTasksAcceptsExactlyTheModulesNames() {
    ConfigDef.ConfigKey tasks = NlpStreamsConfig.CONFIG_DEF.configKeys().get(NlpStreamsConfig.TASKS);
    List<String> names = TaskModules.ALL.stream().map(TaskModule::name).toList();
    assertThat(tasks.validator.toString()).isEqualTo(names.toString());
    for (TaskModule module : TaskModules.ALL) {
      assertThat(configWithTasks(module.name()).tasks()).containsExactly(module.task());
    }
    assertThat(configWithTasks(String.join(",", names)).tasks())
        .containsExactlyElementsOf(TaskModules.ALL.stream().map(TaskModule::task).toList());
    assertThatThrownBy(() -> configWithTasks("ner,sentiment"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sentiment");
  }

  @Test
  void everyModulesOutputTopicIsASettingWithItsDefault() {
    NlpStreamsConfig defaults = NlpStreamsConfig.of(Map.of());
    for (TaskModule module : TaskModules.ALL) {
      TaskConfigBlock block = module.config();
      ConfigDef.ConfigKey topic =
          NlpStreamsConfig.CONFIG_DEF.configKeys().get(block.outputTopicSetting());
      assertThat(topic).as(block.outputTopicSetting()).isNotNull();
      assertThat(topic.defaultValue).isEqualTo(block.defaultOutputTopic());
      assertThat(defaults.outputTopic(module.task())).isEqualTo(block.defaultOutputTopic());
      assertThat(NlpStreamsApp.topics(defaults).output(module.task()))
          .isEqualTo(block.defaultOutputTopic());
    }
    NlpStreamsConfig renamed = NlpStreamsConfig.of(
        Map.of(TaskModules.of(Task.EMBED).config().outputTopicSetting(), "vectors"));
    assertThat(NlpStreamsApp.topics(renamed).output(Task.EMBED)).isEqualTo("vectors");
  }

  @Test
  void theModulesTopologyIsTheCommittedOne() throws Exception {
    NlpStreamsConfig config = NlpStreamsConfig.of(Map.of());
    NlpTopology.Settings settings = NlpStreamsApp.topologySettings(config);
    String actual = NlpTopology.build(settings,
        TaskModules.stagesWithoutModels(config, settings), TopologyIo.singleObject(),
        InferenceEngines.direct(), NlpMeters.none())
        .describe().toString();
    String golden = Files.readString(Path.of("topology", "topology.txt"));
    assertThat(actual.strip()).isEqualTo(golden.strip());
  }

  @Test
  void theBuiltInPortsAndTheModulesMakeTheSameStages() {
    NlpStreamsConfig config = NlpStreamsConfig.of(Map.of());
    NlpTopology.Settings settings = NlpStreamsApp.topologySettings(config);
    assertThat(TaskEngines.none().stages(settings)).extracting(TaskModulesTest::names)
        .containsExactlyElementsOf(TaskModules.stagesWithoutModels(config, settings)
            .stream().map(TaskModulesTest::names).toList());
  }

  @Test
  void stageNamesAreUniqueAcrossModules() {
    NlpStreamsConfig config = configWithTasks(TaskModules.ALL.stream().map(TaskModule::name)
        .collect(Collectors.joining(",")));
    NlpTopology.Settings settings = NlpStreamsApp.topologySettings(config);
    List<TaskStage> stages = TaskModules.stagesWithoutModels(config, settings);
    assertThat(stages).extracting(TaskStage::task)
        .containsExactlyElementsOf(runnableTasks());
    List<String> names = stages.stream().flatMap(stage -> names(stage).stream()).toList();
    assertThat(names).doesNotHaveDuplicates();
    assertThat(Set.copyOf(names)).doesNotContain(NlpTopology.SOURCE, NlpTopology.DECODE,
        NlpTopology.DEAD_LETTER_SINK);
  }

  /**
   * Every Task symbol but UNKNOWN, the reader's default for a symbol it does not know (schema
   * evolution); it is never a task to run.
   */
  private static List<Task> runnableTasks() {
    return Arrays.stream(Task.values()).filter(task -> task != Task.UNKNOWN).toList();
  }

  @Test
  void everyModuleFitsIntoOneTopology() {
    NlpStreamsConfig config = configWithTasks(TaskModules.ALL.stream().map(TaskModule::name)
        .collect(Collectors.joining(",")));
    NlpTopology.Settings settings = NlpStreamsApp.topologySettings(config);
    String description = NlpTopology.build(settings,
        TaskModules.stagesWithoutModels(config, settings), TopologyIo.singleObject(),
        InferenceEngines.direct(), NlpMeters.none())
        .describe().toString();
    for (TaskStage stage : TaskModules.stagesWithoutModels(config, settings)) {
      assertThat(description).contains(stage.batchNode(), stage.bufferStore(), stage.sinkNode(),
          settings.topics().output(stage.task()));
    }
  }

  @Test
  void aTopologyRefusesAMissingOrUnconfiguredStage() {
    NlpStreamsConfig config = configWithTasks("ner,embed");
    NlpTopology.Settings settings = NlpStreamsApp.topologySettings(config);
    List<TaskStage> stages = TaskModules.stagesWithoutModels(config, settings);
    assertThatThrownBy(() -> NlpTopology.build(settings, stages.subList(0, 1),
        TopologyIo.singleObject(), InferenceEngines.direct(), NlpMeters.none()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need a stage each");
    NlpTopology.Settings nerOnly = NlpStreamsApp.topologySettings(configWithTasks("ner"));
    assertThatThrownBy(() -> NlpTopology.build(nerOnly, stages, TopologyIo.singleObject(),
        InferenceEngines.direct(), NlpMeters.none()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not among the topology's tasks");
  }

  private static List<String> names(TaskStage stage) {
    return List.of(stage.batchNode(), stage.bufferStore(), stage.sinkNode());
  }

  /** {@code tasks} with the settings each task requires (a model location is only a name here). */
  private static NlpStreamsConfig configWithTasks(String tasks) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(NlpStreamsConfig.TASKS, tasks);
    settings.put(dev.nlpstreams.config.EmbedConfig.MODEL, "some-embedding-model");
    return NlpStreamsConfig.of(settings);
  }
}
