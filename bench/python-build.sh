#!/usr/bin/env bash
#
# Time of a Python build on this machine, as a redeploy runs it (fresh slug, the app's cache
# kept): an app that uses the standard library only, and an app with requirements, first build
# and then rebuilds with the same requirements. Uses the machine's python3 and a package index on
# disk, so it needs no network. Not a test: figures go to docs/benchmarks.md.
#
# Usage: bench/python-build.sh [runs, default 5]
#
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
WORK=$PWD/bench/work/python-build
mkdir -p "$WORK"

for tool in mvn java python3; do
  command -v $tool >/dev/null || { echo "bench/python-build.sh needs $tool" >&2; exit 1; }
done

echo "Building the python builder and its test classpath..."
mvn -B -q -o test-compile dependency:build-classpath -pl plugins/builder-python -am \
  -Dmdep.outputFile="$WORK/classpath" -Dmdep.includeScope=test >/dev/null
CP=plugins/builder-python/target/classes:plugins/builder-python/target/test-classes:api/target/classes:$(cat "$WORK/classpath")

echo "python3: $(command -v python3) ($(python3 -c 'import sys; print(sys.version.split()[0])')), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$CP" cloud.hop3.builder.python.BenchPythonBuild "$RUNS"
