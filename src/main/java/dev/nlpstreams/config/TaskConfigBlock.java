package dev.nlpstreams.config;

import dev.nlpstreams.schema.avro.Task;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * One task's part of the configuration: its {@code nlp.*} settings, its output topic and the
 * checks that refuse settings the task cannot run with. {@link NlpStreamsConfig} iterates over
 * {@link TaskConfigBlocks#ALL}, so a new task adds its block there instead of editing the
 * configuration class.
 */
public interface TaskConfigBlock {

  /** The task this block configures. */
  Task task();

  /** The task's name in {@code nlp.tasks} and in events' task lists, for example {@code embed}. */
  String name();

  /** The setting that names the task's output topic, for example {@code nlp.embeddings.topic}. */
  String outputTopicSetting();

  /** The output topic's name when {@link #outputTopicSetting()} is not set. */
  String defaultOutputTopic();

  /** Adds the block's settings (its output topic among them) to {@code def}; returns it. */
  ConfigDef define(ConfigDef def);

  /**
   * Refuses settings the task cannot run with, with a message that says what to change.
   *
   * @param enabled whether {@code nlp.tasks} includes the task; most checks apply only then
   */
  void check(AbstractConfig config, boolean enabled);
}
