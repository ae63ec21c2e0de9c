#!/bin/sh
# Container entry point: `docker run IMAGE run --set key=value ...` passes its arguments to the
# nlp-streams command line. JAVA_OPTS holds JVM options (memory settings, system properties).
# exec: the JVM becomes PID 1's child-free replacement and receives SIGTERM directly, so Kafka
# Streams closes cleanly (bounded by nlp.shutdown.timeout.ms).
# shellcheck disable=SC2086  # JAVA_OPTS holds several options
exec java $JAVA_OPTS -jar /opt/nlp-streams/nlp-streams.jar "$@"
