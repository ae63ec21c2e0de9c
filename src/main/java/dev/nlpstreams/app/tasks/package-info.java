/**
 * The task modules: one class per NLP task saying which configuration block it reads, how it
 * loads its models and how its topology stage is made. {@link dev.nlpstreams.app.tasks.TaskModules}
 * is the one list the application iterates over to configure, load and wire tasks.
 */
package dev.nlpstreams.app.tasks;
