package dev.nlpstreams;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package edges that keep NLP logic fast to test and Kafka logic testable with a fake. */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.nlpstreams");

  @Test
  void textIsPure() {
    noClasses().that().resideInAPackage("dev.nlpstreams.text..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "ai.onnxruntime..",
            "ai.djl..", "org.apache.avro..", "dev.nlpstreams.streams..",
            "dev.nlpstreams.inference..", "dev.nlpstreams.schema..", "dev.nlpstreams.app..")
        .check(CLASSES);
  }

  @Test
  void streamsNeverTouchesTheRuntimeOrTokenizer() {
    noClasses().that().resideInAPackage("dev.nlpstreams.streams..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "ai.djl..",
            "dev.nlpstreams.inference..", "dev.nlpstreams.app..")
        .check(CLASSES);
  }

  @Test
  void inferenceKnowsNothingOfKafka() {
    noClasses().that().resideInAPackage("dev.nlpstreams.inference..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..",
            "dev.nlpstreams.streams..", "dev.nlpstreams.app..", "dev.nlpstreams.schema..")
        .check(CLASSES);
  }

  @Test
  void schemaKnowsNothingOfProcessing() {
    noClasses().that().resideInAPackage("dev.nlpstreams.schema..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "ai.djl..",
            "org.apache.kafka.streams..", "dev.nlpstreams.inference..")
        .check(CLASSES);
  }

  /**
   * Task configuration blocks live in config and must stay declarative: settings, docs and
   * checks, never the models or the topology they configure (those are the task modules' part).
   */
  @Test
  void configKnowsNothingOfInferenceOrStreams() {
    noClasses().that().resideInAPackage("dev.nlpstreams.config..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "ai.djl..",
            "org.apache.kafka.streams.processor..", "dev.nlpstreams.streams..",
            "dev.nlpstreams.inference..", "dev.nlpstreams.app..")
        .check(CLASSES);
  }

  /** The meters facade is shared by the topology and the inference engine: Micrometer only. */
  @Test
  void metricsIsMicrometerOnly() {
    noClasses().that().resideInAPackage("dev.nlpstreams.metrics..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..",
            "ai.onnxruntime..", "ai.djl..", "org.apache.avro..", "dev.nlpstreams.streams..",
            "dev.nlpstreams.inference..", "dev.nlpstreams.app..", "dev.nlpstreams.schema..")
        .check(CLASSES);
  }
}
