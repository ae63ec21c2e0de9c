#!/bin/sh
# Container entry point: `docker run IMAGE run --set key=value ...` passes its arguments to the
# nlp-streams command line. JAVA_OPTS holds JVM options (memory settings, system properties).
# The image's own settings (admin address, state directory, device) are a defaults file below
# every other source, so an operator's --config file, NLP_STREAMS_*/KAFKA_* variables and --set
# all override them.
# exec: the JVM becomes PID 1's child-free replacement and receives SIGTERM directly, so Kafka
# Streams closes cleanly (bounded by nlp.shutdown.timeout.ms).
defaults=/opt/nlp-streams/defaults.properties
if [ -f "$defaults" ]; then
  set -- "-Dnlp-streams.defaults=$defaults" -jar /opt/nlp-streams/nlp-streams.jar "$@"
else
  set -- -jar /opt/nlp-streams/nlp-streams.jar "$@"
fi
# shellcheck disable=SC2086  # JAVA_OPTS holds several options
exec java $JAVA_OPTS "$@"
