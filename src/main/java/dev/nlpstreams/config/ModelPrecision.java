package dev.nlpstreams.config;

import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Which graphs of a model directory run: the exported float graphs ({@code fp32}) or their
 * dynamically quantized twins ({@code int8}, {@code onnx/<graph>_quantized.onnx}, the Optimum and
 * transformers.js naming).
 */
public enum ModelPrecision {
  FP32("fp32", ""),
  INT8("int8", "_quantized");

  /** The command that writes the quantized graphs of a directory made or exported elsewhere. */
  public static final String QUANTIZE_COMMAND =
      "/usr/bin/python3 models/generator/generate_models.py quantize --model";

  private final String value;
  private final String fileSuffix;

  ModelPrecision(String value, String fileSuffix) {
    this.value = value;
    this.fileSuffix = fileSuffix;
  }

  /** {@code onnx/encoder_model.onnx} -> {@code onnx/encoder_model_quantized.onnx} for int8. */
  public String graphFile(String fp32Relative) {
    if (fileSuffix.isEmpty()) {
      return fp32Relative;
    }
    if (!fp32Relative.endsWith(".onnx")) {
      throw new IllegalArgumentException(fp32Relative + " is not an .onnx file");
    }
    return fp32Relative.substring(0, fp32Relative.length() - ".onnx".length()) + fileSuffix
        + ".onnx";
  }

  /** The setting value, {@code fp32} or {@code int8}. */
  @Override
  public String toString() {
    return value;
  }

  /** Parses {@code fp32} or {@code int8} (case and surrounding blanks ignored). */
  public static ModelPrecision parse(String text) {
    String v = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (ModelPrecision p : values()) {
      if (p.value.equals(v)) {
        return p;
      }
    }
    throw new IllegalArgumentException("Unknown precision '" + text + "': use fp32 (the exported"
        + " graphs) or int8 (onnx/*_quantized.onnx beside them).");
  }

  /** Declares a task's {@code nlp.<task>.precision} setting. */
  static ConfigDef define(ConfigDef def, String setting, String models, String group,
      int orderInGroup, String displayName) {
    return def.define(setting, Type.STRING, FP32.value, VALIDATOR, Importance.LOW,
        "Which graphs of " + models + " run: fp32 runs the exported graphs (`onnx/*.onnx`);"
            + " int8 runs their dynamically quantized twins `onnx/*_quantized.onnx` (Optimum /"
            + " transformers.js naming), which must sit beside them; `" + QUANTIZE_COMMAND
            + " <dir>` writes them.",
        group, orderInGroup, ConfigDef.Width.SHORT, displayName);
  }

  static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
    @Override
    public void ensureValid(String name, Object value) {
      try {
        parse((String) value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "[fp32, int8]";
    }
  };
}
