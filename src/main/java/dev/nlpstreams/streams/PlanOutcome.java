package dev.nlpstreams.streams;

/** A record's plan for a task, or why the task cannot take it. */
public sealed interface PlanOutcome permits TaskPlan, OptionError {}
