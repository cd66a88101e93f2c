#!/usr/bin/env bash
# Builds the benchmarks, runs the whole suite with short settings for a 2-core machine (194 cases, one
# fork each, 0.5 s of warm-up and 2 × 0.5 s of measurement: about 15 minutes, most of it forks starting
# and S3 cases), and turns the JMH JSON into
# docs/benchmarks.md and docs/benchmarks/*.png.
# Servers: S3Proxy and MINA SSHD run in the benchmark's JVM; Azurite (Node.js 20+ and npm needed,
# installed on first use into storage-benchmarks/target/azurite) and Apache httpd (/usr/sbin/apache2,
# Debian's apache2 package) run as processes, one per fork, stopped when the fork exits.
# Extra arguments go to JMH, for example a regular expression to run only some cases:
#   storage-benchmarks/run-benchmarks.sh 'read_full' -p size=16777216
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl storage-benchmarks -am install -DskipTests
CLASSPATH_FILE="$PWD/storage-benchmarks/target/classpath.txt"
./mvnw -B -q -pl storage-benchmarks dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE"
CP="$PWD/storage-benchmarks/target/classes:$(cat "$CLASSPATH_FILE")"
RESULT="$PWD/storage-benchmarks/target/jmh-result.json"

# from the module's directory, so that Azurite is installed into its target directory
(cd storage-benchmarks && java -cp "$CP" org.openjdk.jmh.Main -wi 1 -w 500ms -i 2 -r 500ms -f 1 -rf json -rff "$RESULT" "$@")
java -cp "$CP" dev.objectstorage.benchmarks.BenchmarkReport "$RESULT" docs
echo "Wrote docs/benchmarks.md and docs/benchmarks/*.png"
