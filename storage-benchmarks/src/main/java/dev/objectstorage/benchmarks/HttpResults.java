package dev.objectstorage.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP downloads measured by {@code run-http-benchmarks.sh} with wrk ({@value #FILE}): each
 * server, file size and number of connections run several times; the report shows the mean
 * requests per second ± the standard deviation of the runs, and checks the sample app against
 * Spring WebFlux's static resource handler and nginx.
 */
final class HttpResults {

	/** The file, next to the JMH result in {@code docs/benchmarks/}. */
	static final String FILE = "http-result.json";

	/** The servers, in the order the table shows them. */
	static final List<String> SERVERS = List.of("nginx", "webflux-static", "sample-static", "sample-fs", "sample-s3");

	/** From this size on, requests per second are counted from the bytes received. */
	static final int LARGE = 1024 * 1024;

	private final JsonNode root;

	/** "server size connections" -> requests per second of each run. */
	private final Map<String, List<Double>> rates = new LinkedHashMap<>();

	private final Map<String, List<Double>> p99 = new LinkedHashMap<>();

	/** server -> requests that failed (socket errors, timeouts, statuses other than 2xx and 3xx). */
	private final Map<String, Long> failures = new LinkedHashMap<>();

	private final TreeSet<Integer> sizes = new TreeSet<>();

	private final TreeSet<Integer> connections = new TreeSet<>();

	private HttpResults(JsonNode root) {
		this.root = root;
		for (JsonNode run : root.get("runs")) {
			int size = run.get("size").asInt();
			int conns = run.get("connections").asInt();
			String key = key(run.get("server").asString(), size, conns);
			double seconds = run.get("duration_us").asDouble() / 1e6;
			// large files: from the bytes received, so that transfers still in flight when the run ends count
			// (at 64 MiB and 32 connections a run completes only a few dozen); headers are < 0.05% there
			double rate = (size >= LARGE) ? run.get("bytes").asDouble() / size / seconds
					: run.get("requests").asDouble() / seconds;
			this.rates.computeIfAbsent(key, (k) -> new ArrayList<>()).add(rate);
			if (run.get("requests").asLong() > 0) {
				this.p99.computeIfAbsent(key, (k) -> new ArrayList<>()).add(run.get("latency_p99_us").asDouble());
			}
			this.failures.merge(run.get("server").asString(), run.get("errors").asLong(), Long::sum);
			this.sizes.add(size);
			this.connections.add(conns);
		}
	}

	static HttpResults load(Path json) throws IOException {
		return new HttpResults(JsonMapper.builder().build().readTree(json.toFile()));
	}

	private static String key(String server, int size, int connections) {
		return server + " " + size + " " + connections;
	}

	/** Mean and standard deviation of the runs' requests per second; {@code null} if not measured. */
	private double[] rate(String server, int size, int connections) {
		List<Double> runs = this.rates.get(key(server, size, connections));
		if (runs == null || runs.isEmpty()) {
			return null;
		}
		double mean = runs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
		double variance = (runs.size() < 2) ? Double.NaN
				: runs.stream().mapToDouble((r) -> (r - mean) * (r - mean)).sum() / (runs.size() - 1);
		return new double[] { mean, Math.sqrt(variance) };
	}

	/** How many times the requests per second of {@code server} those of {@code reference} are. */
	private BenchmarkReport.Ratio compare(String server, String reference, int size, int connections) {
		double[] own = rate(server, size, connections);
		double[] ref = rate(reference, size, connections);
		if (own == null || ref == null) {
			return null;
		}
		double value = own[0] / ref[0];
		double relative = (Double.isNaN(own[1]) ? 0 : own[1] / own[0]) + (Double.isNaN(ref[1]) ? 0 : ref[1] / ref[0]);
		return new BenchmarkReport.Ratio(value, value * relative, Double.NaN);
	}

	List<BenchmarkReport.Target> targets() {
		List<BenchmarkReport.Target> targets = new ArrayList<>();
		for (int size : List.of(4096, 1024 * 1024, 64 * 1024 * 1024)) {
			for (int conns : List.of(1, 32)) {
				targets.add(BenchmarkReport.Target.atLeast("HTTP GET /files " + human(size) + ", " + conns
						+ " conn.: sample app (fs) ≥ 0.95 × WebFlux static resources",
						compare("sample-fs", "webflux-static", size, conns), 0.95));
			}
		}
		for (int size : List.of(1024 * 1024, 64 * 1024 * 1024)) {
			for (int conns : List.of(1, 32)) {
				targets.add(BenchmarkReport.Target.atLeast("HTTP GET /files " + human(size) + ", " + conns
						+ " conn.: sample app (fs) ≥ 0.8 × nginx (sendfile)",
						compare("sample-fs", "nginx", size, conns), 0.8));
			}
		}
		return targets;
	}

	void section(StringBuilder md) {
		md.append("## HTTP downloads\n\n");
		md.append("`GET` of one file, over and over, measured with wrk (").append(text("wrk"))
			.append(") on 127.0.0.1 by `storage-benchmarks/run-http-benchmarks.sh`, from ").append(text("start"))
			.append(" to ").append(text("end")).append(". ");
		if (this.root.has("initial_warmup_seconds")) {
			md.append("First every server had ").append(text("initial_warmup_seconds"))
				.append(" s per file at 4 connections (the JVMs' JIT). ");
		}
		md.append("Each case: ").append(text("warmup_seconds"))
			.append(" s of warm-up, then ").append(text("repeats")).append(" runs of ").append(text("duration_seconds"))
			.append(" s; wrk, the server and (for sample-s3) S3Proxy share the machine's cores.\n\n");
		md.append("* `nginx`: ").append(text("nginx")).append(" with `sendfile on`, serving the directory.\n");
		md.append("* `webflux-static`: Spring WebFlux's own static resource handler (Spring Boot, "
				+ "`spring.webflux.static-path-pattern=/files/**`) serving the same directory "
				+ "(`StaticFilesApplication`).\n");
		if (this.rates.keySet().stream().anyMatch((k) -> k.startsWith("sample-static "))) {
			md.append("* `sample-static`: the sample app itself (its filters, headers and observations) serving the "
					+ "same directory with WebFlux's static resource handler under `/static/**`: the app's own "
					+ "stack without the storage library and the files controller.\n");
		}
		md.append("* `sample-fs`: the sample app's `GET /files/...` with the fs backend on the same directory "
				+ "(zero-copy).\n");
		md.append("* `sample-s3`: the sample app with the S3 backend against S3Proxy (in-memory store, a process of "
				+ "its own): streamed.\n\n");
		String sampleArgs = text("sample_args");
		if (!sampleArgs.isBlank() && !sampleArgs.equals("?")) {
			md.append("The sample app ran with the extra arguments `").append(sampleArgs).append("`.\n\n");
		}
		md.append("Each cell: requests per second ± the standard deviation of the runs, the throughput, and the "
				+ "99th percentile latency of the completed requests (mean of the runs). From 1 MiB on, requests per "
				+ "second are the bytes received per second over the file's size, so that the transfers still in "
				+ "flight when a run ends count too.\n\n");
		List<String> servers = SERVERS.stream()
			.filter((server) -> this.rates.keySet().stream().anyMatch((k) -> k.startsWith(server + " ")))
			.toList();
		md.append("| file | connections |");
		servers.forEach((server) -> md.append(' ').append(server).append(" |"));
		List<String> references = servers.contains("sample-static")
				? List.of("webflux-static", "nginx", "sample-static") : List.of("webflux-static", "nginx");
		references.forEach((reference) -> md.append(" sample-fs / ").append(reference).append(" |"));
		md.append("\n|---|---|");
		servers.forEach((server) -> md.append("---|"));
		references.forEach((reference) -> md.append("---|"));
		md.append('\n');
		for (int size : this.sizes) {
			for (int conns : this.connections) {
				md.append("| ").append(human(size)).append(" | ").append(conns).append(" |");
				for (String server : servers) {
					double[] rate = rate(server, size, conns);
					if (rate == null) {
						md.append(" – |");
						continue;
					}
					double p99 = this.p99.getOrDefault(key(server, size, conns), List.of()).stream()
						.mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
					md.append(String.format(Locale.ROOT, " %.0f ± %.0f req/s · %.0f MiB/s · p99 %s |", rate[0],
							Double.isNaN(rate[1]) ? 0 : rate[1], rate[0] * size / (1024.0 * 1024), millis(p99)));
				}
				for (String reference : references) {
					BenchmarkReport.Ratio ratio = compare("sample-fs", reference, size, conns);
					md.append((ratio == null) ? " – |"
							: String.format(Locale.ROOT, " %.2f ± %.2f |", ratio.value(), ratio.error()));
				}
				md.append('\n');
			}
		}
		md.append('\n');
		this.failures.forEach((server, failed) -> {
			if (failed > 0) {
				md.append("**").append(server).append(": ").append(failed)
					.append(" requests failed** (socket errors, timeouts or error statuses, counted by wrk).\n\n");
			}
		});
	}

	private String text(String field) {
		JsonNode node = this.root.get(field);
		return (node == null) ? "?" : node.asString();
	}

	private static String millis(double micros) {
		if (Double.isNaN(micros)) {
			return "–";
		}
		return (micros >= 1000) ? String.format(Locale.ROOT, "%.1f ms", micros / 1000)
				: String.format(Locale.ROOT, "%.0f µs", micros);
	}

	private static String human(int size) {
		if (size >= 1024 * 1024) {
			return (size / (1024 * 1024)) + " MiB";
		}
		return (size / 1024) + " KiB";
	}

}
