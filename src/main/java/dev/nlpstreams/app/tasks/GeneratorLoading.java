package dev.nlpstreams.app.tasks;

import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.inference.seq2seq.OnnxTextGenerator;

/** Loading one sequence-to-sequence model, shared by the translation and summary modules. */
final class GeneratorLoading {

  private GeneratorLoading() {}

  static OnnxTextGenerator load(ModelLoader loader, ModelResolver.ResolvedModel model,
      String role, ModelPrecision precision) {
    OnnxTextGenerator generator = OnnxTextGenerator.load(model.directory(), model.name(),
        loader.generationSettings().withPrecision(precision));
    loader.register(new ManagedModel(role, model.name(), generator.identity(), generator,
        generator::stopRuns, generator::onModelRun, generator::warmUp));
    return generator;
  }
}
