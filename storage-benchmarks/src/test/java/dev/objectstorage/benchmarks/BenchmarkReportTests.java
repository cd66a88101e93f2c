package dev.objectstorage.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report from a small JMH result and wrk result: error bars in the cells, the run's times, and
 * targets met and missed from the ratios.
 */
class BenchmarkReportTests {

	@TempDir
	Path docs;

	@Test
	void reportsErrorsTimesAndTargets() throws Exception {
		Path json = this.docs.resolve("benchmarks/jmh-result.json");
		Files.createDirectories(json.getParent());
		Files.writeString(json, "[" + String.join(",",
				// fs-library writes 4 KiB in 10 µs, the raw atomic write in 9.5 µs: 0.95, met (needs 0.9)
				run("StorageBenchmarks", "write_once", "fs-library", 4096, 10.0, 0.4),
				run("StorageBenchmarks", "write_once", "fs-atomic", 4096, 9.5, 0.3),
				// in-place: 5 µs, so 0.5 of it: missed (needs 1/1.5)
				run("StorageBenchmarks", "write_once", "fs-filechannel", 4096, 5.0, 0.1),
				// layers: 0.8 µs more than 1.0 µs: 0.56, but within 1 µs: met
				run("StorageBenchmarks", "read_full", "memory-library", 4096, 1.0, 0.05),
				run("StorageBenchmarks", "read_full", "memory-library-layered", 4096, 1.8, 0.05),
				run("NetworkStorageBenchmarks", "read_full", "s3-sdk", 16777216, 40000.0, 2000.0),
				run("NetworkStorageBenchmarks", "read_full", "s3-library", 16777216, 50000.0, 2000.0))
				+ "]");
		Files.writeString(this.docs.resolve("benchmarks/" + HttpResults.FILE), """
				{ "start": "2026-11-30T05:00:00Z", "end": "2026-11-30T05:15:00Z", "wrk": "wrk 4.1.0",
				  "nginx": "nginx/1.22.1", "warmup_seconds": "5", "duration_seconds": "10", "repeats": "2",
				  "runs": [
				    %s, %s, %s, %s, %s, %s
				  ] }
				""".formatted(wrk("webflux-static", 4096, 1, 1000, 1000 * 4096),
				wrk("webflux-static", 4096, 2, 1100, 1100 * 4096), wrk("sample-fs", 4096, 1, 990, 990 * 4096),
				wrk("sample-fs", 4096, 2, 1080, 1080 * 4096),
				// 1 MiB: from the bytes, in flight or not (10 MiB in 1 s against 16 MiB: 0.63, missed)
				wrk("nginx", 1048576, 1, 15, 16L * 1048576), wrk("sample-fs", 1048576, 1, 0, 10L * 1048576)));
		Path run = this.docs.resolve("benchmarks/run.properties");
		Files.writeString(run, "start=2026-11-30T03:00:00Z\nend=2026-11-30T04:02:05Z\nservers=external\n");

		BenchmarkReport.main(new String[] { json.toString(), this.docs.toString(), run.toString() });

		String md = Files.readString(this.docs.resolve("benchmarks.md"));
		assertThat(md).contains("* Run: 2026-11-30T03:00:00Z to 2026-11-30T04:02:05Z (1 h 02 min 05 s)");
		assertThat(md).contains("* JMH, `StorageBenchmarks`: 1 fork per case, 3 × 1 s warm-up, 5 × 1 s measurement");
		assertThat(md).contains("* JMH, `NetworkStorageBenchmarks`: 1 fork per case, 10 × 1 s warm-up");
		assertThat(md).contains("S3Proxy 4.1 (in-memory store) on 127.0.0.1 in a process of its own");
		// error bars in the cells
		assertThat(md).contains("| fs-library | 391 MiB/s · 10.0 ± 0.4 µs (0.50) |");
		assertThat(md).contains("40.0 ± 2.0 ms");
		assertThat(md).containsPattern("\\| fs write_once 4 KiB ≥ 0.9 × raw atomic write \\(`fs-atomic`\\) \\| "
				+ "0\\.95 ± 0\\.07 \\| ≥ 0\\.90 \\| met \\(within error\\) \\|");
		assertThat(md).containsPattern("\\| fs write_once 4 KiB within 1\\.5 × in-place truncate-and-write "
				+ "\\(`fs-filechannel`\\) \\| 0\\.50 ± 0\\.03 \\| ≥ 0\\.67 \\| \\*\\*missed\\*\\* \\|");
		assertThat(md).contains("| memory default layers on read_full 4 KiB: ≤ 5% or ≤ 1 µs | 0.56 ± 0.04 (+0.80 µs) "
				+ "| ≥ 0.95 or ≤ +1 µs | met |");
		assertThat(md).containsPattern("s3 read_full 16 MiB ≥ 0\\.95 × the SDK \\(`s3-sdk`\\) \\| 0\\.80 ± 0\\.07 \\| "
				+ "≥ 0\\.95 \\| \\*\\*missed\\*\\* \\|");
		assertThat(md).contains("| fs stat within 3 × readAttributes + xattr read (`fs-atomic`) | not measured |");
		// the HTTP section and its targets: 1035 against 1050 requests per second
		assertThat(md).contains("## HTTP downloads");
		assertThat(md).containsPattern("HTTP GET /files 4 KiB, 1 conn\\.: sample app \\(fs\\) ≥ 0\\.95 × WebFlux static "
				+ "resources \\| 0\\.99 ± 0\\.1\\d \\| ≥ 0\\.95 \\| met");
		assertThat(md).contains("| 4 KiB | 1 | – | 1050 ± 71 req/s");
		assertThat(md).containsPattern("HTTP GET /files 1 MiB, 1 conn\\.: sample app \\(fs\\) ≥ 0\\.8 × nginx \\(sendfile\\) "
				+ "\\| 0\\.63 ± 0\\.00 \\| ≥ 0\\.80 \\| \\*\\*missed\\*\\*");
		assertThat(md).contains("| 1 MiB | 1 | 16 ± 0 req/s · 16 MiB/s · p99 1.5 ms | – | 10 ± 0 req/s · 10 MiB/s · p99 – |");
		assertThat(md).containsPattern("\\*\\*\\d+ of \\d+ targets are missed in this run\\*\\*");
	}

	@Test
	void theSampleAppsOwnStaticHandlerGetsAColumnAndExtraArgumentsAreNamed() throws Exception {
		Path json = this.docs.resolve("benchmarks/jmh-result.json");
		Files.createDirectories(json.getParent());
		Files.writeString(json, "[" + run("StorageBenchmarks", "read_full", "memory-library", 4096, 1.0, 0.05) + "]");
		Files.writeString(this.docs.resolve("benchmarks/" + HttpResults.FILE), """
				{ "start": "2026-11-30T05:00:00Z", "end": "2026-11-30T05:15:00Z", "wrk": "wrk 4.1.0",
				  "nginx": "nginx/1.22.1", "warmup_seconds": "5", "duration_seconds": "10", "repeats": "1",
				  "sample_args": "--management.observations.enable.http.server.requests=false",
				  "runs": [ %s, %s, %s ] }
				""".formatted(wrk("webflux-static", 4096, 1, 1000, 1000 * 4096),
				wrk("sample-static", 4096, 1, 800, 800 * 4096), wrk("sample-fs", 4096, 1, 720, 720 * 4096)));

		BenchmarkReport.main(new String[] { json.toString(), this.docs.toString() });

		String md = Files.readString(this.docs.resolve("benchmarks.md"));
		assertThat(md).contains("* `sample-static`: the sample app itself");
		assertThat(md).contains("The sample app ran with the extra arguments "
				+ "`--management.observations.enable.http.server.requests=false`.");
		assertThat(md).contains("| file | connections | webflux-static | sample-static | sample-fs | sample-fs / "
				+ "webflux-static | sample-fs / nginx | sample-fs / sample-static |");
		// 720 requests per second against 1000 and 800
		assertThat(md).containsPattern("\\| 4 KiB \\| 1 \\| 1000 ± 0 req/s[^\\n]*\\| 0\\.72 ± 0\\.00 \\| – \\| "
				+ "0\\.90 ± 0\\.00 \\|\\n");
		// the targets still compare the sample with WebFlux's own handler
		assertThat(md).containsPattern("HTTP GET /files 4 KiB, 1 conn\\.: sample app \\(fs\\) ≥ 0\\.95 × WebFlux static "
				+ "resources \\| 0\\.72 ± 0\\.00 \\| ≥ 0\\.95 \\| \\*\\*missed\\*\\*");
	}

	private static String run(String benchmarkClass, String name, String subject, int size, double score,
			double error) {
		return """
				{ "jmhVersion": "1.37", "benchmark": "dev.objectstorage.benchmarks.%s.%s", "mode": "avgt",
				  "forks": 1, "warmupIterations": %d, "warmupTime": "1 s", "measurementIterations": 5,
				  "measurementTime": "1 s", "params": { "subject": "%s", "size": "%d" },
				  "primaryMetric": { "score": %s, "scoreError": %s, "scoreUnit": "us/op" } }
				""".formatted(benchmarkClass, name, benchmarkClass.startsWith("Network") ? 10 : 3, subject, size,
				score, error);
	}

	private static String wrk(String server, int size, int run, long requests, long bytes) {
		return """
				{"server":"%s","size":%d,"connections":1,"run":%d,"requests":%d,"duration_us":1000000,\
				"bytes":%d,"errors":0,"latency_mean_us":900.0,"latency_p99_us":1500.0}"""
			.formatted(server, size, run, requests, bytes);
	}

}
