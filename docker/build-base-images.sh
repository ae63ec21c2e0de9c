#!/usr/bin/env bash
# Builds the local base images the Dockerfiles start from, without any image registry:
# Debian bookworm root file systems made by mmdebstrap from the machine's own apt sources, then
# `docker import`ed. Elsewhere, pass public images instead (--build-arg BASE_IMAGE=...).
#
#   nlp-streams/base-jre:local         Debian minbase + openjdk-17-jre-headless (processor, Kafka)
#   nlp-streams/base-prometheus:local  Debian minbase + prometheus (the compose stack's scraper)
#   alpine:3.17                        busybox only; Testcontainers looks for this tag and, with it
#                                      present locally, never tries to pull
#
# An image that already exists is kept (pass --force to rebuild). Needs root, mmdebstrap, docker.
set -euo pipefail

FORCE=false
[[ "${1:-}" == "--force" ]] && FORCE=true
SOURCES=${APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}
[[ -r "$SOURCES" ]] || SOURCES=/etc/apt/sources.list
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

have() { ! $FORCE && docker image inspect "$1" >/dev/null 2>&1; }

# $1 image, $2 comma-separated packages, rest: `docker import --change` instructions
debian_base() {
  local image=$1 packages=$2; shift 2
  if have "$image"; then echo "base image $image exists"; return; fi
  local started=$SECONDS
  # minbase: no init system. Reading the machine's sources file also brings security updates.
  # (No dpkg path excludes: openjdk's postinst needs /usr/share/man/man1 to exist.)
  mmdebstrap --quiet --variant=minbase --include="$packages" \
    bookworm "$WORK/rootfs.tar" "$SOURCES"
  local changes=()
  for change in "$@"; do changes+=(--change "$change"); done
  docker import "${changes[@]}" "$WORK/rootfs.tar" "$image" >/dev/null
  rm -f "$WORK/rootfs.tar"
  echo "base image $image built in $((SECONDS - started)) s"
}

debian_base nlp-streams/base-jre:local openjdk-17-jre-headless,ca-certificates \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
  'ENV LANG=C.UTF-8'

debian_base nlp-streams/base-prometheus:local prometheus,ca-certificates \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

if have alpine:3.17; then
  echo "base image alpine:3.17 exists"
else
  # The busybox-static package gives one static binary; its applets become /bin/* links.
  (cd "$WORK" && apt-get download -qq -o APT::Sandbox::User=root busybox-static >/dev/null)
  dpkg-deb -x "$WORK"/busybox-static_*.deb "$WORK/busybox"
  mkdir -p "$WORK/root/bin" "$WORK/root/tmp"
  cp "$WORK/busybox/bin/busybox" "$WORK/root/bin/busybox"
  for applet in $("$WORK/root/bin/busybox" --list); do
    [[ "$applet" == busybox ]] || ln -sf busybox "$WORK/root/bin/$applet"
  done
  tar -C "$WORK/root" -cf "$WORK/busybox.tar" .
  docker import --change 'ENV PATH=/bin' "$WORK/busybox.tar" alpine:3.17 >/dev/null
  echo "base image alpine:3.17 (busybox) built"
fi
