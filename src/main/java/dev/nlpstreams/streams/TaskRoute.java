package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Task;

/** A task this processor runs and the name of the processor node that buffers its records. */
record TaskRoute(Task task, String batchProcessorName) {}
