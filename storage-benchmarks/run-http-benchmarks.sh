#!/usr/bin/env bash
# HTTP downloads: the sample app's GET /files/... against Spring WebFlux's own static resource
# handler and nginx (sendfile), all serving the same files from the same directory on 127.0.0.1,
# measured with wrk; writes $DOCS/benchmarks/http-result.json, which BenchmarkReport turns into the
# "HTTP downloads" section of $DOCS/benchmarks.md (regenerated here when a JMH result is there).
#
#   storage-benchmarks/run-http-benchmarks.sh          # everything: about 17 minutes
#   DURATION=2 WARMUP=1 INITIAL_WARMUP=1 REPEATS=1 SIZES=4096 CONNECTIONS=1 DOCS=/tmp/http \
#     storage-benchmarks/run-http-benchmarks.sh        # a check of the script: under a minute
#
# Servers (each started once, stopped at the end):
#   nginx           Debian's nginx (apt-get install nginx), sendfile on, access log off
#   webflux-static  StaticFilesApplication: Spring Boot WebFlux, spring.webflux.static-path-pattern=/files/**
#   sample-fs       the sample app, storage.type=fs on the same directory (zero-copy)
#   sample-static   the sample app again (its filters, headers, observations), but the files served by
#                   WebFlux's static resource handler under /static/**: what the app's own stack costs
#                   without the storage library and the files controller (not in the default list)
#   sample-s3       the sample app, profile s3, against S3Proxy in a process of its own (streamed);
#                   the files are uploaded through the app (PUT /files/...) first
# Cases: file sizes $SIZES (4 KiB, 1 MiB, 64 MiB) × $CONNECTIONS (1, 32). First every server gets
# $INITIAL_WARMUP s per file at 4 connections (the JVMs' JIT); then per case and server a $WARMUP s
# warm-up, then $REPEATS runs of $DURATION s, the servers taking turns run by run.
# wrk uses one thread per connection, at most 2 (the machine's cores are shared with the server).
#
# Environment: DURATION (10), WARMUP (5), INITIAL_WARMUP (10), REPEATS (3), SIZES, CONNECTIONS,
# SERVERS ("nginx webflux-static sample-fs sample-s3"; sample-static on request), SAMPLE_ARGS (more
# arguments for the sample app, split at spaces, for example to switch a feature off and see what it costs),
# DOCS (docs), SKIP_BUILD=1 (use an earlier build's classes), MVN_ARGS (more Maven arguments).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
DOCS="$(mkdir -p "${DOCS:-docs}/benchmarks" && cd "${DOCS:-docs}" && pwd)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
INITIAL_WARMUP="${INITIAL_WARMUP:-10}"
REPEATS="${REPEATS:-3}"
SIZES="${SIZES:-4096 1048576 67108864}"
CONNECTIONS="${CONNECTIONS:-1 32}"
SERVERS="${SERVERS:-nginx webflux-static sample-fs sample-s3}"
read -r -a SAMPLE_ARGS <<<"${SAMPLE_ARGS:-}"
WORK="$ROOT/storage-benchmarks/target/http-run"
FILES="$WORK/files"
RESULT="$DOCS/benchmarks/http-result.json"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$NGINX" ]] || { echo "nginx is missing: apt-get install -y nginx" >&2; exit 1; }

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
	# shellcheck disable=SC2086
	./mvnw -B -q ${MVN_ARGS:-} -pl storage-benchmarks,sample-app -am package dependency:build-classpath \
		-DskipTests -Dmaven.javadoc.skip=true -Dmdep.outputFile=target/classpath.txt
fi
BENCH_CP="$ROOT/storage-benchmarks/target/classes:$(cat "$ROOT/storage-benchmarks/target/classpath.txt")"
SAMPLE_CP="$ROOT/sample-app/target/classes:$(cat "$ROOT/sample-app/target/classpath.txt")"

rm -rf "$WORK"
mkdir -p "$FILES" "$WORK/nginx/tmp" "$WORK/sample-fs" "$WORK/sample-static" "$WORK/sample-s3" "$WORK/runs"
for size in $SIZES; do
	head -c "$size" /dev/urandom >"$FILES/file-$size.bin"
done

PIDS=()
cleanup() {
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
}
trap cleanup EXIT

free_port() {
	local port
	while :; do
		port=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
}

# waits until a URL answers 200, or fails with the server's log
await() {
	local url="$1" pid="$2" log="$3"
	for _ in $(seq 1 240); do
		if curl -sf -o /dev/null "$url"; then
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "The server for $url exited:" >&2
			tail -50 "$log" >&2
			exit 1
		fi
		sleep 0.5
	done
	echo "No answer from $url in 2 minutes:" >&2
	tail -50 "$log" >&2
	exit 1
}

declare -A BASE
FIRST="file-${SIZES%% *}.bin"
JAVA_OPTS=(-Xms1g -Xmx1g)

for server in $SERVERS; do
	port="$(free_port)"
	case "$server" in
		nginx)
			user=""
			[[ "$(id -u)" == 0 ]] && user="user root;"
			cat >"$WORK/nginx/nginx.conf" <<-EOF
				$user
				daemon off;
				worker_processes auto;
				pid $WORK/nginx/nginx.pid;
				error_log $WORK/nginx/error.log warn;
				events { worker_connections 1024; }
				http {
				  access_log off;
				  sendfile on;
				  tcp_nopush on;
				  keepalive_requests 1000000;
				  keepalive_timeout 60s;
				  default_type application/octet-stream;
				  client_body_temp_path $WORK/nginx/tmp/body;
				  proxy_temp_path $WORK/nginx/tmp/proxy;
				  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
				  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
				  scgi_temp_path $WORK/nginx/tmp/scgi;
				  server {
				    listen 127.0.0.1:$port;
				    location /files/ { alias $FILES/; }
				  }
				}
			EOF
			"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" \
				>"$WORK/nginx/console.log" 2>&1 &
			PIDS+=($!)
			await "http://127.0.0.1:$port/files/$FIRST" "$!" "$WORK/nginx/error.log"
			;;
		webflux-static)
			java "${JAVA_OPTS[@]}" -cp "$BENCH_CP" dev.objectstorage.benchmarks.StaticFilesApplication \
				--server.address=127.0.0.1 --server.port="$port" --spring.main.banner-mode=off \
				--logging.config=classpath:logback.xml \
				--spring.web.resources.static-locations="file:$FILES/" \
				--spring.webflux.static-path-pattern='/files/**' >"$WORK/webflux-static.log" 2>&1 &
			PIDS+=($!)
			await "http://127.0.0.1:$port/files/$FIRST" "$!" "$WORK/webflux-static.log"
			;;
		sample-fs)
			(cd "$WORK/sample-fs" && exec java "${JAVA_OPTS[@]}" -cp "$SAMPLE_CP" \
				dev.objectstorage.sample.SampleApplication --server.port="$port" --storage.fs.root="$FILES" \
				"${SAMPLE_ARGS[@]}") >"$WORK/sample-fs.log" 2>&1 &
			PIDS+=($!)
			await "http://127.0.0.1:$port/files/$FIRST" "$!" "$WORK/sample-fs.log"
			;;
		sample-static)
			(cd "$WORK/sample-static" && exec java "${JAVA_OPTS[@]}" -cp "$SAMPLE_CP" \
				dev.objectstorage.sample.SampleApplication --server.port="$port" --storage.fs.root="$FILES" \
				--spring.web.resources.static-locations="file:$FILES/" --spring.webflux.static-path-pattern='/static/**' \
				"${SAMPLE_ARGS[@]}") >"$WORK/sample-static.log" 2>&1 &
			PIDS+=($!)
			await "http://127.0.0.1:$port/static/$FIRST" "$!" "$WORK/sample-static.log"
			BASE[$server]="http://127.0.0.1:$port/static"
			echo "$server: ${BASE[$server]}"
			continue
			;;
		sample-s3)
			rm -f "$WORK/s3.properties"
			(cd storage-benchmarks && exec java -Xmx2g -Dlogback.configurationFile=logback.xml -cp "$BENCH_CP" \
				dev.objectstorage.benchmarks.BenchmarkServers "$WORK/s3.properties" s3) >"$WORK/s3proxy.log" 2>&1 &
			PIDS+=($!)
			for _ in $(seq 1 120); do [[ -f "$WORK/s3.properties" ]] && break; sleep 0.5; done
			endpoint="$(sed -n 's/^bench\.s3\.endpoint=//p' "$WORK/s3.properties")"
			[[ -n "$endpoint" ]] || { echo "S3Proxy did not start:" >&2; cat "$WORK/s3proxy.log" >&2; exit 1; }
			(cd "$WORK/sample-s3" && S3_BUCKET=tck-bucket S3_ENDPOINT="$endpoint" S3_ACCESS_KEY_ID=test-access-key \
				S3_SECRET_ACCESS_KEY=test-secret-key exec java "${JAVA_OPTS[@]}" -cp "$SAMPLE_CP" \
				dev.objectstorage.sample.SampleApplication --server.port="$port" --spring.profiles.active=s3 \
				"${SAMPLE_ARGS[@]}") >"$WORK/sample-s3.log" 2>&1 &
			PIDS+=($!)
			pid=$!
			for _ in $(seq 1 240); do
				curl -sf -o /dev/null "http://127.0.0.1:$port/files" && break
				kill -0 "$pid" 2>/dev/null || { tail -50 "$WORK/sample-s3.log" >&2; exit 1; }
				sleep 0.5
			done
			for size in $SIZES; do
				curl -sf -o /dev/null -T "$FILES/file-$size.bin" "http://127.0.0.1:$port/files/file-$size.bin"
			done
			await "http://127.0.0.1:$port/files/$FIRST" "$pid" "$WORK/sample-s3.log"
			;;
		*)
			echo "unknown server $server" >&2
			exit 2
			;;
	esac
	BASE[$server]="http://127.0.0.1:$port/files"
	echo "$server: ${BASE[$server]}"
done

# the same bytes from every server
for server in $SERVERS; do
	for size in $SIZES; do
		got="$(curl -sf "${BASE[$server]}/file-$size.bin" | cksum)"
		want="$(cksum <"$FILES/file-$size.bin")"
		[[ "$got" == "$want" ]] || { echo "$server serves other bytes for file-$size.bin" >&2; exit 1; }
	done
done

cat >"$WORK/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('"requests":%d,"duration_us":%d,"bytes":%d,"errors":%d,"latency_mean_us":%.1f,"latency_p99_us":%.1f\n',
    summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write + e.status + e.timeout,
    latency.mean, latency:percentile(99)))
end
EOF

START="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
RUNS="$WORK/runs.jsonl"
: >"$RUNS"
bench() { # server size connections seconds
	local threads=$(($3 < 2 ? $3 : 2))
	wrk -t"$threads" -c"$3" -d"$4s" --timeout 60s -s "$WORK/report.lua" "${BASE[$1]}/file-$2.bin" | tail -1
}
# the JVMs' JIT first: every file at 4 connections, on every server alike
for server in $SERVERS; do
	for size in $SIZES; do
		bench "$server" "$size" 4 "$INITIAL_WARMUP" >/dev/null
	done
done
for size in $SIZES; do
	for conns in $CONNECTIONS; do
		for server in $SERVERS; do
			bench "$server" "$size" "$conns" "$WARMUP" >/dev/null
		done
		for run in $(seq 1 "$REPEATS"); do
			for server in $SERVERS; do
				line="$(bench "$server" "$size" "$conns" "$DURATION")"
				echo "{\"server\":\"$server\",\"size\":$size,\"connections\":$conns,\"run\":$run,$line}" | tee -a "$RUNS"
			done
		done
	done
done
END="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

{
	echo "{"
	echo "  \"start\": \"$START\", \"end\": \"$END\","
	echo "  \"wrk\": \"$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)\", \"nginx\": \"$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')\","
	echo "  \"warmup_seconds\": \"$WARMUP\", \"initial_warmup_seconds\": \"$INITIAL_WARMUP\","
	echo "  \"duration_seconds\": \"$DURATION\", \"repeats\": \"$REPEATS\","
	echo "  \"sample_args\": \"$(printf '%s' "${SAMPLE_ARGS[*]}" | sed 's/\\/\\\\/g; s/"/\\"/g')\","
	echo "  \"runs\": ["
	sed '$!s/$/,/' "$RUNS" | sed 's/^/    /'
	echo "  ]"
	echo "}"
} >"$RESULT"
echo "Wrote $RESULT"

if [[ -f "$DOCS/benchmarks/jmh-result.json" ]]; then
	RUN_PROPS=()
	[[ -f "$DOCS/benchmarks/run.properties" ]] && RUN_PROPS=("$DOCS/benchmarks/run.properties")
	java -cp "$BENCH_CP" dev.objectstorage.benchmarks.BenchmarkReport "$DOCS/benchmarks/jmh-result.json" "$DOCS" \
		"${RUN_PROPS[@]}"
	echo "Wrote $DOCS/benchmarks.md"
fi
