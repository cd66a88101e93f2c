#!/usr/bin/env bash
# Runs the JMH suite and turns its JSON into docs/benchmarks.md and docs/benchmarks/*.png.
#
#   storage-benchmarks/run-benchmarks.sh                 # the whole suite (about 1 hour on 2 cores)
#   storage-benchmarks/run-benchmarks.sh 'read_full' -p size=16777216     # some cases (JMH arguments)
#   DOCS=/tmp/bench SKIP_BUILD=1 storage-benchmarks/run-benchmarks.sh -wi 1 -w 1s -i 1 -r 1s 'stat'
#
# Settings come from the benchmark classes' annotations (extra JMH arguments override them):
# StorageBenchmarks (fs, memory) 3 × 1 s warm-up and 5 × 1 s measurement; NetworkStorageBenchmarks
# (s3, azblob, webdav, sftp) 10 × 1 s warm-up and 5 × 1 s measurement; one fork per case.
#
# Servers: BenchmarkServers starts S3Proxy and MINA SSHD's SFTP server in a JVM of their own, and
# from it Azurite (Node.js 20+ and npm needed; installed on first use into
# storage-benchmarks/target/azurite) and Apache httpd with mod_dav_fs (Debian's apache2), all on
# 127.0.0.1 with throwaway credentials, ONCE for the run; every fork gets their endpoints as system
# properties (-jvmArgsPrepend, which leaves the @Fork annotations' -jvmArgsAppend in place). They
# are stopped when the run ends.
#
# Output: $DOCS/benchmarks/jmh-result.json (JMH's raw JSON, committed next to the report),
# $DOCS/benchmarks/run.properties (start, end), $DOCS/benchmarks.md and charts; DOCS defaults to
# docs. The HTTP downloads section comes from $DOCS/benchmarks/http-result.json, written by
# run-http-benchmarks.sh (run it first, or run this again afterwards).
#
# Environment: SKIP_BUILD=1 uses the classes and class path of an earlier build; MVN_ARGS adds Maven
# arguments (for example -o); REPORT_ONLY=1 only regenerates the report from the existing JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
DOCS="$(mkdir -p "${DOCS:-docs}/benchmarks" && cd "${DOCS:-docs}" && pwd)"
WORK="$ROOT/storage-benchmarks/target/bench-run"
RESULT="$DOCS/benchmarks/jmh-result.json"
RUN="$DOCS/benchmarks/run.properties"
CLASSPATH_FILE="$ROOT/storage-benchmarks/target/classpath.txt"

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
	# package (not install): the sibling modules' jars and test-jars come from this reactor
	# shellcheck disable=SC2086
	./mvnw -B -q ${MVN_ARGS:-} -pl storage-benchmarks -am package dependency:build-classpath -DskipTests \
		-Dmaven.javadoc.skip=true -Dmdep.outputFile=target/classpath.txt
fi
CP="$ROOT/storage-benchmarks/target/classes:$(cat "$CLASSPATH_FILE")"

report() {
	java -cp "$CP" dev.objectstorage.benchmarks.BenchmarkReport "$RESULT" "$DOCS" "$RUN"
	echo "Wrote $DOCS/benchmarks.md (raw results: $RESULT)"
}
if [[ "${REPORT_ONLY:-}" == 1 ]]; then
	report
	exit 0
fi

mkdir -p "$WORK"
START="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# the servers, once for the run, from the module's directory (Azurite installs into its target)
SERVERS_FILE="$WORK/servers.properties"
rm -f "$SERVERS_FILE"
(cd storage-benchmarks && exec java -Xmx1g -Dlogback.configurationFile=logback.xml -cp "$CP" \
	dev.objectstorage.benchmarks.BenchmarkServers "$SERVERS_FILE") >"$WORK/servers.log" 2>&1 &
SERVERS_PID=$!
stop_servers() {
	if kill -0 "$SERVERS_PID" 2>/dev/null; then
		kill -TERM "$SERVERS_PID" # its shutdown hooks stop S3Proxy, MINA SSHD, Azurite and httpd
		wait "$SERVERS_PID" 2>/dev/null || true
	fi
}
trap stop_servers EXIT
for _ in $(seq 1 600); do # up to 10 minutes: the first run installs Azurite with npm
	[[ -f "$SERVERS_FILE" ]] && break
	if ! kill -0 "$SERVERS_PID" 2>/dev/null; then
		echo "The benchmark servers did not start:" >&2
		cat "$WORK/servers.log" >&2
		exit 1
	fi
	sleep 1
done
[[ -f "$SERVERS_FILE" ]] || { echo "The benchmark servers did not start in time" >&2; exit 1; }
cat "$WORK/servers.log"
SERVER_ARGS="$(grep -v '^#' "$SERVERS_FILE" | sed 's/^/-D/' | tr '\n' ' ')"
JMH_ARGS=()
[[ -n "${SERVER_ARGS// /}" ]] && JMH_ARGS=(-jvmArgsPrepend "$SERVER_ARGS")

# every fork from the module's directory (logback.xml, target/azurite for a fork's own Azurite)
(cd storage-benchmarks && java -cp "$CP" org.openjdk.jmh.Main -rf json -rff "$RESULT" \
	"${JMH_ARGS[@]}" "$@") 2>&1 | tee "$WORK/jmh.log"

stop_servers
END="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf 'start=%s\nend=%s\nservers=external\narguments=%s\n' "$START" "$END" "$*" >"$RUN"
report
