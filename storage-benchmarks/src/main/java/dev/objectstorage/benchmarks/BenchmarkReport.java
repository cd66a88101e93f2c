package dev.objectstorage.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a JMH JSON result into {@code docs/benchmarks.md} (the run's times and settings, the
 * targets of issue 19, met or missed, a table per case with throughput, time per operation with
 * JMH's 99.9% error and the ratio of each subject to its store's baseline, a section per store with
 * its subjects side by side, and the HTTP downloads measured with wrk when
 * {@code benchmarks/http-result.json} exists next to the report) and PNG charts of throughput
 * against object size in {@code docs/benchmarks/}.
 * <p>
 * Usage: {@code BenchmarkReport <jmh-result.json> <docs directory> [run.properties]}; the
 * properties (written by {@code run-benchmarks.sh}) give the run's {@code start} and {@code end}
 * (ISO-8601 instants) and {@code servers} (how the network stores' servers ran).
 */
public final class BenchmarkReport {

	private static final double MIB = 1024 * 1024;

	/** case -> subject -> size -> microseconds per operation. */
	private final Map<String, Map<String, TreeMap<Integer, Double>>> results = new LinkedHashMap<>();

	/** case -> subject -> size -> JMH's 99.9% error of the microseconds per operation. */
	private final Map<String, Map<String, TreeMap<Integer, Double>>> errors = new LinkedHashMap<>();

	/** Benchmark class -> its JMH settings. */
	private final Map<String, String> jmhSettings = new LinkedHashMap<>();

	private final Properties run = new Properties();

	private HttpResults http;

	public static void main(String[] args) throws IOException {
		if (args.length != 2 && args.length != 3) {
			System.err.println("usage: BenchmarkReport <jmh-result.json> <docs directory> [run.properties]");
			System.exit(2);
		}
		BenchmarkReport report = new BenchmarkReport();
		report.load(Path.of(args[0]));
		if (args.length == 3) {
			report.loadRun(Path.of(args[2]));
		}
		report.loadHttp(Path.of(args[1]).resolve("benchmarks").resolve(HttpResults.FILE));
		report.write(Path.of(args[1]));
	}

	void loadRun(Path properties) throws IOException {
		try (Reader reader = Files.newBufferedReader(properties, StandardCharsets.UTF_8)) {
			this.run.load(reader);
		}
	}

	void loadHttp(Path json) throws IOException {
		if (Files.isRegularFile(json)) {
			this.http = HttpResults.load(json);
		}
	}

	void load(Path json) throws IOException {
		JsonNode root = JsonMapper.builder().build().readTree(json.toFile());
		for (JsonNode run : root) {
			String benchmark = run.get("benchmark").asString();
			String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
			JsonNode params = run.get("params");
			String subject = params.get("subject").asString();
			int size = params.has("size") ? Integer.parseInt(params.get("size").asString())
					: name.equals("read_range") ? 16 * 1024 * 1024 : 4096;
			JsonNode metric = run.get("primaryMetric");
			String unit = metric.get("scoreUnit").asString();
			double scale = switch (unit) {
				case "us/op" -> 1;
				case "ms/op" -> 1000;
				case "ns/op" -> 1e-3;
				case "s/op" -> 1e6;
				default -> throw new IllegalArgumentException("unexpected unit " + unit);
			};
			double micros = metric.get("score").asDouble() * scale;
			// NaN with a single measurement iteration
			double error = metric.get("scoreError").asDouble(Double.NaN) * scale;
			this.results.computeIfAbsent(name, (k) -> new LinkedHashMap<>())
				.computeIfAbsent(subject, (k) -> new TreeMap<>())
				.put(size, micros);
			this.errors.computeIfAbsent(name, (k) -> new LinkedHashMap<>())
				.computeIfAbsent(subject, (k) -> new TreeMap<>())
				.put(size, error);
			String benchmarkClass = benchmark.substring(0, benchmark.lastIndexOf('.'));
			benchmarkClass = benchmarkClass.substring(benchmarkClass.lastIndexOf('.') + 1);
			this.jmhSettings.computeIfAbsent(benchmarkClass, (k) -> run.get("forks").asInt() + " fork per case, "
					+ run.get("warmupIterations").asInt() + " × " + run.get("warmupTime").asString() + " warm-up, "
					+ run.get("measurementIterations").asInt() + " × " + run.get("measurementTime").asString()
					+ " measurement, mode " + run.get("mode").asString() + ", JMH " + run.get("jmhVersion").asString());
		}
	}

	/** Bytes moved by one operation of a case at a size. */
	private long bytes(String name, int size) {
		return switch (name) {
			case "read_range" -> 256 * 1024;
			case "stat" -> 0;
			default -> size;
		};
	}

	private Double micros(String name, String subject, int size) {
		Map<String, TreeMap<Integer, Double>> bySubject = this.results.get(name);
		if (bySubject == null || !bySubject.containsKey(subject)) {
			return null;
		}
		return bySubject.get(subject).get(size);
	}

	/** How many times faster than its store's baseline (>1 is faster). */
	private Double ratio(String name, String subject, int size) {
		String baseline = Subjects.BASELINES.get(store(subject));
		Double own = micros(name, subject, size);
		Double base = micros(name, baseline, size);
		return (own == null || base == null) ? null : base / own;
	}

	void write(Path docs) throws IOException {
		Path charts = docs.resolve("benchmarks");
		Files.createDirectories(charts);
		StringBuilder md = new StringBuilder();
		md.append("# Benchmarks\n\n");
		md.append("Generated by `storage-benchmarks/run-benchmarks.sh` from one JMH run (raw results: "
				+ "[benchmarks/jmh-result.json](benchmarks/jmh-result.json)");
		if (this.http != null) {
			md.append(", and for the HTTP downloads [benchmarks/" + HttpResults.FILE + "](benchmarks/"
					+ HttpResults.FILE + ") from `storage-benchmarks/run-http-benchmarks.sh`");
		}
		md.append("); do not edit by hand.\n\n");
		md.append("* Run: ").append(runTimes(this.run.getProperty("start"), this.run.getProperty("end"))).append('\n');
		md.append("* Machine: ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
			.append(" cores, ").append(memory()).append('\n');
		md.append("* JDK: ").append(System.getProperty("java.vm.name")).append(' ')
			.append(System.getProperty("java.version")).append(" (").append(System.getProperty("java.vendor"))
			.append(")\n");
		this.jmhSettings.forEach((benchmarkClass, settings) -> md.append("* JMH, `").append(benchmarkClass)
			.append("`: ").append(settings).append('\n'));
		boolean external = "external".equals(this.run.getProperty("servers"));
		for (String store : stores()) {
			String server = server(store, external);
			if (server != null) {
				md.append("* ").append(server).append('\n');
			}
		}
		md.append('\n');
		md.append("Each cell: throughput, time per operation ± JMH's 99.9% confidence error, and in brackets the "
				+ "ratio to the store's baseline (");
		md.append(String.join(", ", stores().stream().map((store) -> "`" + Subjects.BASELINES.get(store) + "`").toList()));
		md.append("; above 1 is faster than the baseline). "
				+ "Machines here are shared and noisy: compare ratios within this run, not absolute figures across "
				+ "runs.\n\n");
		md.append("![read_full](benchmarks/read_full.png)\n![write_once](benchmarks/write_once.png)\n\n");
		targets(md);
		for (String name : this.results.keySet()) {
			table(md, name);
			if (name.equals("read_full") || name.equals("write_once")) {
				chart(name, charts.resolve(name + ".png"));
			}
		}
		for (String store : stores()) {
			storeTable(md, store);
		}
		if (this.http != null) {
			this.http.section(md);
		}
		Files.writeString(docs.resolve("benchmarks.md"), md.toString());
	}

	/** Start, end and duration of the run, as far as known. */
	static String runTimes(String start, String end) {
		if (start == null || end == null) {
			return "times not recorded (run without run-benchmarks.sh)";
		}
		Duration duration = Duration.between(Instant.parse(start), Instant.parse(end));
		return String.format(Locale.ROOT, "%s to %s (%d h %02d min %02d s)", start, end, duration.toHours(),
				duration.toMinutesPart(), duration.toSecondsPart());
	}

	/** The store of a subject: its name up to the first {@code -}. */
	private static String store(String subject) {
		return subject.substring(0, subject.indexOf('-'));
	}

	/** The stores with results, in {@link Subjects#STORES} order (then any others). */
	private List<String> stores() {
		Set<String> measured = new LinkedHashSet<>();
		this.results.values().forEach((bySubject) -> bySubject.keySet().forEach((s) -> measured.add(store(s))));
		List<String> stores = new ArrayList<>(Subjects.STORES);
		stores.retainAll(measured);
		measured.stream().filter((s) -> !stores.contains(s)).forEach(stores::add);
		return stores;
	}

	/**
	 * What a store's figures are measured against, for the header; {@code null} for local stores.
	 * {@code external}: the servers ran in processes of their own, started once for the run.
	 */
	private static String server(String store, boolean external) {
		String where = external ? "in a process of its own (started once for the run, not per fork)"
				: "in the benchmark's own JVM";
		return switch (store) {
			case "s3" -> "S3: S3Proxy 4.1 (in-memory store) on 127.0.0.1 " + where + ".";
			// BenchmarkServers starts Azurite with its store on disk (azurite.on-disk), a fork's own Azurite in memory
			case "azblob" -> "Azure Blob: " + azuriteVersion()
					+ (external ? " (store on the local disk), a Node.js process on 127.0.0.1, started once for the run."
							: " (in-memory store), a Node.js process on 127.0.0.1, started by the fork.");
			case "webdav" -> "WebDAV: Apache httpd with mod_dav_fs (files on the local disk), a process of its own on "
					+ "127.0.0.1" + (external ? ", started once for the run." : ", started by the fork.");
			case "sftp" -> "SFTP: Apache MINA SSHD's server with its default settings (files on the local disk) on "
					+ "127.0.0.1 " + where + ".";
			default -> null;
		};
	}

	/** Azurite and the version its harness pins, as found on the class path. */
	private static String azuriteVersion() {
		try (InputStream in = BenchmarkReport.class.getResourceAsStream("/dev/objectstorage/azblob/azurite/package.json")) {
			if (in != null) {
				Matcher matcher = Pattern.compile("\"azurite\"\\s*:\\s*\"([^\"]+)\"")
					.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
				if (matcher.find()) {
					return "Azurite " + matcher.group(1);
				}
			}
		}
		catch (IOException ex) {
			// the name alone
		}
		return "Azurite";
	}

	/**
	 * A store's subjects side by side: a row per case and size, a column per subject (the baseline
	 * first), each cell the time per operation with its error and the ratio to the baseline.
	 */
	private void storeTable(StringBuilder md, String store) {
		String baseline = Subjects.BASELINES.get(store);
		Set<String> subjects = new LinkedHashSet<>();
		if (baseline != null) {
			subjects.add(baseline);
		}
		this.results.values()
			.forEach((bySubject) -> bySubject.keySet().stream().filter((s) -> store(s).equals(store)).forEach(subjects::add));
		md.append("## Store: ").append(store).append("\n\n");
		md.append("Each subject of the store against its baseline `").append(baseline)
			.append("`: time per operation ± error and, in brackets, the ratio to the baseline (above 1 is faster).\n\n");
		md.append("| case |");
		subjects.forEach((subject) -> md.append(' ').append(subject).append(" |"));
		md.append("\n|---|");
		subjects.forEach((subject) -> md.append("---|"));
		md.append('\n');
		for (String name : this.results.keySet()) {
			TreeSet<Integer> sizes = new TreeSet<>();
			this.results.get(name).forEach((subject, bySize) -> {
				if (subjects.contains(subject)) {
					sizes.addAll(bySize.keySet());
				}
			});
			for (int size : sizes) {
				md.append("| ").append(name);
				if (name.equals("read_full") || name.equals("write_once")) {
					md.append(' ').append(human(size));
				}
				md.append(" |");
				for (String subject : subjects) {
					Double micros = micros(name, subject, size);
					if (micros == null) {
						md.append(" – |");
						continue;
					}
					md.append(' ').append(formatMicros(micros, error(name, subject, size)));
					Double ratio = ratio(name, subject, size);
					if (ratio != null && !subject.equals(baseline)) {
						md.append(String.format(Locale.ROOT, " (%.2f)", ratio));
					}
					md.append(" |");
				}
				md.append('\n');
			}
		}
		md.append('\n');
	}

	private void table(StringBuilder md, String name) {
		Map<String, TreeMap<Integer, Double>> bySubject = this.results.get(name);
		TreeSet<Integer> sizes = new TreeSet<>();
		bySubject.values().forEach((m) -> sizes.addAll(m.keySet()));
		md.append("## ").append(name).append("\n\n");
		md.append(switch (name) {
			case "read_full" -> "Read a whole object, copying every byte into a reused array.\n\n";
			case "write_once" -> "Write a whole object from buffers already in memory (no fsync).\n\n";
			case "read_range" -> "Read 256 KiB from the middle of a 16 MiB object.\n\n";
			case "stat" -> "Read the metadata of a 4 KiB object.\n\n";
			default -> "\n";
		});
		md.append("| subject |");
		for (int size : sizes) {
			md.append(' ').append(name.equals("stat") || name.equals("read_range") ? "" : human(size)).append(" |");
		}
		md.append("\n|---|");
		sizes.forEach((s) -> md.append("---|"));
		md.append('\n');
		for (String subject : bySubject.keySet()) {
			md.append("| ").append(subject).append(" |");
			for (int size : sizes) {
				Double micros = micros(name, subject, size);
				if (micros == null) {
					md.append(" – |");
					continue;
				}
				long bytes = bytes(name, size);
				md.append(' ');
				if (bytes > 0) {
					md.append(String.format(Locale.ROOT, "%.0f MiB/s · ", bytes / MIB / (micros / 1e6)));
				}
				md.append(formatMicros(micros, error(name, subject, size)));
				Double ratio = ratio(name, subject, size);
				if (ratio != null) {
					md.append(String.format(Locale.ROOT, " (%.2f)", ratio));
				}
				md.append(" |");
			}
			md.append('\n');
		}
		md.append('\n');
	}

	private Double error(String name, String subject, int size) {
		Map<String, TreeMap<Integer, Double>> bySubject = this.errors.get(name);
		if (bySubject == null || !bySubject.containsKey(subject)) {
			return null;
		}
		return bySubject.get(subject).get(size);
	}

	/**
	 * How many times faster {@code subject} is than {@code reference} (time of the reference over
	 * the subject's), with the error of that ratio from both errors; {@code null} if either is not
	 * measured.
	 */
	Ratio compare(String name, String subject, String reference, int size) {
		Double own = micros(name, subject, size);
		Double ref = micros(name, reference, size);
		if (own == null || ref == null) {
			return null;
		}
		Double ownError = error(name, subject, size);
		Double refError = error(name, reference, size);
		double value = ref / own;
		double relative = ((ownError == null || ownError.isNaN()) ? 0 : ownError / own)
				+ ((refError == null || refError.isNaN()) ? 0 : refError / ref);
		return new Ratio(value, value * relative, own - ref);
	}

	/**
	 * A ratio (above 1: faster than the reference), its error, and the difference in time per
	 * operation (microseconds; positive: slower than the reference).
	 */
	record Ratio(double value, double error, double extraMicros) {
	}

	private void targets(StringBuilder md) {
		List<Target> rows = new ArrayList<>();
		int kib4 = 4096;
		int kib256 = 256 * 1024;
		int mib4 = 4 * 1024 * 1024;
		int mib16 = 16 * 1024 * 1024;
		int[] sizes = { kib4, kib256, mib4, mib16 };
		for (int size : sizes) {
			rows.add(Target.atLeast("fs write_once " + human(size) + " ≥ 0.9 × raw atomic write (`fs-atomic`)",
					compare("write_once", "fs-library", "fs-atomic", size), 0.9));
		}
		rows.add(Target.atLeast("fs write_once 4 KiB within 1.5 × in-place truncate-and-write (`fs-filechannel`)",
				compare("write_once", "fs-library", "fs-filechannel", kib4), 1 / 1.5));
		rows.add(Target.atLeast("fs stat within 3 × readAttributes + xattr read (`fs-atomic`)",
				compare("stat", "fs-library", "fs-atomic", kib4), 1 / 3.0));
		for (String store : new String[] { "fs", "memory", "s3" }) {
			for (String name : new String[] { "write_once", "read_full" }) {
				for (int size : new int[] { kib256, mib4, mib16 }) {
					rows.add(Target.atLeast(store + " " + (name.equals("read_full") ? "openInputStream read_full"
							: "openOutputStream write_once") + " " + human(size) + " ≥ 0.8 × the reactive call",
							compare(name, store + "-library-streams", store + "-library", size), 0.8));
				}
			}
		}
		for (String name : this.results.keySet()) {
			for (int size : this.results.get(name).getOrDefault("memory-library", new TreeMap<>()).keySet()) {
				rows.add(Target.atLeast("memory " + name + (name.equals("read_full") || name.equals("write_once")
						? " " + human(size) : "") + " ahead of OpenDAL",
						compare(name, "memory-library", "memory-opendal", size), 1.0));
			}
		}
		for (String name : new String[] { "read_full", "write_once" }) {
			for (int size : sizes) {
				rows.add(Target.atLeast("s3 " + name + " " + human(size) + " ≥ 0.95 × the SDK (`s3-sdk`)",
						compare(name, "s3-library", "s3-sdk", size), 0.95));
			}
		}
		for (String store : new String[] { "fs", "memory" }) {
			rows.add(Target.overhead(store + " default layers on read_full 4 KiB: ≤ 5% or ≤ 1 µs",
					compare("read_full", store + "-library-layered", store + "-library", kib4)));
		}
		for (String store : new String[] { "fs", "memory" }) {
			rows.add(Target.overhead(store + " concurrency limit (64) on top of the default layers, read_full 4 KiB: "
					+ "≤ 5% or ≤ 1 µs", compare("read_full", store + "-library-limited", store + "-library-layered", kib4)));
		}
		// "where the server allows it": httpd's PUT is atomic, so the target is the atomic-put write (three
		// requests); the default write (PUT to a temporary resource, PROPPATCH, PROPFIND, MOVE) is in the table
		rows.add(Target.atLeast("webdav write_once 4 KiB with `atomic-put` (httpd's PUT is atomic) ≥ 0.5 × a raw PUT "
				+ "(`webdav-netty`)", compare("write_once", "webdav-library-atomicput", "webdav-netty", kib4), 0.5));
		for (String name : new String[] { "read_full", "write_once" }) {
			rows.add(Target.atLeast("azblob " + name + " 16 MiB ≥ 0.9 × the SDK (`azblob-sdk`)",
					compare(name, "azblob-library", "azblob-sdk", mib16), 0.9));
		}
		// the targets of earlier issues, kept to see that nothing slides back
		for (int size : new int[] { mib4, mib16 }) {
			rows.add(Target.atLeast("fs read_full " + human(size) + " ≥ 0.8 × FileChannel (earlier target)",
					compare("read_full", "fs-library", "fs-filechannel", size), 0.8));
		}
		rows.add(Target.atLeast("fs read_full 4 KiB within 3 × FileChannel's time (earlier target)",
				compare("read_full", "fs-library", "fs-filechannel", kib4), 1 / 3.0));
		rows.add(Target.atLeast("memory read_full 16 MiB ≥ 0.8 × arraycopy (earlier target)",
				compare("read_full", "memory-library", "memory-arraycopy", mib16), 0.8));
		for (String name : this.results.keySet()) {
			for (int size : this.results.get(name).getOrDefault("fs-library", new TreeMap<>()).keySet()) {
				rows.add(Target.atLeast("fs " + name + (name.equals("read_full") || name.equals("write_once")
						? " " + human(size) : "") + " ahead of OpenDAL (earlier target)",
						compare(name, "fs-library", "fs-opendal", size), 1.0));
			}
		}
		if (this.http != null) {
			rows.addAll(this.http.targets());
		}
		else {
			rows.add(Target.atLeast("HTTP downloads (sample app vs WebFlux static resources and nginx)", null, 0.95));
		}
		long missed = rows.stream().filter(Target::missed).count();
		long unmeasured = rows.stream().filter((row) -> row.ratio() == null).count();
		md.append("## Targets\n\n");
		md.append("The performance targets of issue 19 (and, marked, those of earlier issues), from this run. A ratio is how many times faster this library "
				+ "is than the reference (time per operation of the reference over this library's), ± the error that "
				+ "JMH's 99.9% errors of both give it (HTTP: ± the spread of the wrk runs). ");
		md.append(missed == 0 ? "No measured target is missed in this run" : "**" + missed + " of " + rows.size()
				+ " targets are missed in this run** (marked below)");
		md.append(unmeasured == 0 ? ".\n\n" : "; " + unmeasured + " were not measured.\n\n");
		md.append("| target | measured ratio | needed | result |\n|---|---|---|---|\n");
		for (Target row : rows) {
			md.append("| ").append(row.what()).append(" | ").append(row.measured()).append(" | ")
				.append(row.neededText()).append(" | ").append(row.result()).append(" |\n");
		}
		md.append('\n');
	}

	/**
	 * One target: a ratio that must reach {@code needed}, or (an overhead target) whose extra time
	 * may instead stay within {@code allowedMicros}.
	 */
	record Target(String what, Ratio ratio, double needed, double allowedMicros) {

		static Target atLeast(String what, Ratio ratio, double needed) {
			return new Target(what, ratio, needed, Double.NaN);
		}

		/** At most 5% slower, or at most 1 µs more per operation. */
		static Target overhead(String what, Ratio ratio) {
			return new Target(what, ratio, 0.95, 1.0);
		}

		boolean met() {
			return this.ratio != null && (this.ratio.value() >= this.needed
					|| (!Double.isNaN(this.allowedMicros) && this.ratio.extraMicros() <= this.allowedMicros));
		}

		boolean missed() {
			return this.ratio != null && !met();
		}

		String measured() {
			if (this.ratio == null) {
				return "not measured";
			}
			String text = String.format(Locale.ROOT, "%.2f ± %.2f", this.ratio.value(), this.ratio.error());
			if (!Double.isNaN(this.allowedMicros)) {
				text += String.format(Locale.ROOT, " (%+.2f µs)", this.ratio.extraMicros());
			}
			return text;
		}

		String neededText() {
			String text = String.format(Locale.ROOT, "≥ %.2f", this.needed);
			return Double.isNaN(this.allowedMicros) ? text
					: text + String.format(Locale.ROOT, " or ≤ %+.0f µs", this.allowedMicros);
		}

		String result() {
			if (this.ratio == null) {
				return "not measured";
			}
			boolean close = Math.abs(this.ratio.value() - this.needed) <= this.ratio.error();
			if (met()) {
				return (close && this.ratio.value() >= this.needed) ? "met (within error)" : "met";
			}
			return close ? "**missed** (within error)" : "**missed**";
		}

	}

	private void chart(String name, Path file) throws IOException {
		XYChart chart = new XYChartBuilder().width(900).height(560).title(name + ": throughput by object size")
			.xAxisTitle("object size (bytes, log scale)").yAxisTitle("MiB/s (log scale)").build();
		chart.getStyler().setXAxisLogarithmic(true);
		chart.getStyler().setYAxisLogarithmic(true);
		chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
		this.results.get(name).forEach((subject, bySize) -> {
			List<Double> x = new ArrayList<>();
			List<Double> y = new ArrayList<>();
			bySize.forEach((size, micros) -> {
				x.add((double) size);
				y.add(size / MIB / (micros / 1e6));
			});
			chart.addSeries(subject, x, y).setMarker(SeriesMarkers.CIRCLE);
		});
		BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
	}

	private static String human(int size) {
		if (size >= 1024 * 1024) {
			return (size / (1024 * 1024)) + " MiB";
		}
		return (size / 1024) + " KiB";
	}

	static String formatMicros(double micros, Double error) {
		boolean ms = micros >= 10_000;
		double scale = ms ? 1000 : 1;
		String unit = ms ? " ms" : " µs";
		int decimals = (micros / scale >= 100) ? 0 : (micros / scale >= 10) ? 1 : 2;
		String format = "%." + decimals + "f";
		String text = String.format(Locale.ROOT, format, micros / scale);
		if (error != null && !error.isNaN()) {
			text += " ± " + String.format(Locale.ROOT, format, error / scale);
		}
		return text + unit;
	}

	private static String cpu() {
		try {
			return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
				.filter((line) -> line.startsWith("model name"))
				.map((line) -> line.substring(line.indexOf(':') + 1).trim())
				.findFirst()
				.orElse(System.getProperty("os.arch"));
		}
		catch (IOException ex) {
			return System.getProperty("os.arch");
		}
	}

	private static String memory() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)) + " GiB memory";
		}
		return "memory unknown";
	}

}
