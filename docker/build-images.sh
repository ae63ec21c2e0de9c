#!/usr/bin/env bash
# Builds the images of the local stack, without an image registry:
#   docker/build-images.sh [base] [kafka] [apicurio] [processor] [processor-cuda] [--models DIR]
# (no target: base, kafka, apicurio and processor). Run from anywhere; needs docker and Maven.
#
#   base            docker/build-base-images.sh (Debian roots by mmdebstrap; skipped when present)
#   kafka           nlp-streams/kafka:4.1.2-local from Maven Central jars (docker/kafka)
#   apicurio        nlp-streams/apicurio:2.6.13-local, Apicurio Registry's Maven Central distribution
#   processor       nlp-streams/processor:local from target/nlp-streams.jar + target/lib
#                   (runs `mvn -DskipTests package` first when the jar is missing)
#   processor-cuda  nlp-streams/processor:cuda (after `mvn -Pcuda -DskipTests package`; needs the
#                   public CUDA and JRE images, so not on a machine without a registry)
#   --models DIR    bake DIR's model directories into the processor image at /opt/nlp-streams/models
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KAFKA_IMAGE=${KAFKA_IMAGE:-nlp-streams/kafka:4.1.2-local}
PROCESSOR_IMAGE=${PROCESSOR_IMAGE:-nlp-streams/processor:local}
CUDA_IMAGE=${CUDA_IMAGE:-nlp-streams/processor:cuda}
REGISTRY_IMAGE=${REGISTRY_IMAGE:-nlp-streams/apicurio:2.6.13-local}
APICURIO_VERSION=2.6.13.Final

targets=() models=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --models) models=$2; shift 2 ;;
    base|kafka|apicurio|processor|processor-cuda) targets+=("$1"); shift ;;
    *) echo "unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=(base kafka apicurio processor)

# target/image: the processor's build context (the jar, its manifest class path, the entry point,
# models to bake in). Hard links where possible: no copy of the 100 MB of dependencies.
stage_processor() {
  [[ -f "$ROOT/target/nlp-streams.jar" ]] || mvn -B -q -f "$ROOT/pom.xml" -DskipTests package
  local stage="$ROOT/target/image"
  rm -rf "$stage" && mkdir -p "$stage/models"
  cp -l "$ROOT/target/nlp-streams.jar" "$stage/" 2>/dev/null || cp "$ROOT/target/nlp-streams.jar" "$stage/"
  cp -rl "$ROOT/target/lib" "$stage/lib" 2>/dev/null || cp -r "$ROOT/target/lib" "$stage/lib"
  # Test tooling (the optional Testcontainers dependency) has no place in the runtime image.
  rm -f "$stage"/lib/testcontainers-*.jar "$stage"/lib/docker-java-*.jar "$stage"/lib/duct-tape-*.jar
  cp "$ROOT/docker/nlp-streams.sh" "$stage/"
  [[ -z "$models" ]] || cp -r "$models"/. "$stage/models/"
}

for target in "${targets[@]}"; do
  started=$SECONDS
  case "$target" in
    base) bash "$ROOT/docker/build-base-images.sh" ;;
    kafka)
      mvn -B -q -f "$ROOT/docker/kafka/pom.xml" package
      docker build -q -t "$KAFKA_IMAGE" "$ROOT/docker/kafka" >/dev/null ;;
    apicurio)
      app="$ROOT/docker/apicurio/target/app"
      if [[ ! -f "$app/apicurio-registry-app-$APICURIO_VERSION-runner.jar" ]]; then
        mvn -B -q dependency:copy -Dmdep.overWriteReleases=true \
          -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:zip:all" \
          -DoutputDirectory="$ROOT/docker/apicurio/target"
        rm -rf "$app" && mkdir -p "$app"
        unzip -q "$ROOT/docker/apicurio/target/apicurio-registry-app-$APICURIO_VERSION-all.zip" -d "$app"
      fi
      docker build -q -t "$REGISTRY_IMAGE" --build-arg APICURIO_VERSION="$APICURIO_VERSION" \
        "$ROOT/docker/apicurio" >/dev/null ;;
    processor)
      stage_processor
      docker build -q -t "$PROCESSOR_IMAGE" -f "$ROOT/docker/Dockerfile" "$ROOT/target/image" >/dev/null ;;
    processor-cuda)
      stage_processor
      docker build -q -t "$CUDA_IMAGE" -f "$ROOT/docker/Dockerfile.cuda" "$ROOT/target/image" >/dev/null ;;
  esac
  echo "image target '$target' done in $((SECONDS - started)) s"
done
