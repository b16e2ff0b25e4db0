#!/usr/bin/env bash
# Make sure a Java runtime for the local Spark session is on the machine: Spark 3.5 runs
# on Java 17. Installs Debian's openjdk-17-jre-headless when no java is found (as root).
set -euo pipefail
if command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "error: no Java found; Spark needs Java 17: apt-get install openjdk-17-jre-headless" >&2
  exit 1
fi
echo "==> installing openjdk-17-jre-headless from the Debian packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
