package dev.objectstorage.benchmarks;

import java.util.Collection;

import dev.objectstorage.azblob.AzuriteServer;
import dev.objectstorage.webdav.HttpdServer;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark case with every subject once, tiny and in this JVM, so that the benchmark
 * module cannot rot: each subject must set up (storing its object: a write), run its case, and
 * produce a result. No timing is asserted (timings come from the real runs, see
 * run-benchmarks.sh). Without the system properties of {@link BenchmarkServers}, the servers start
 * once for the whole run from this JVM: S3Proxy and MINA SSHD in this JVM,
 * Azurite (installed into {@code target/azurite} on first use, which needs Node.js and npm) and
 * Apache httpd as processes.
 */
class BenchmarkSmokeTests {

	@Test
	void everyCaseRunsForEverySubject() throws Exception {
		// every subject runs, or none: where httpd or Node.js is missing the test is skipped with an
		// install hint (a failure with STORAGE_TEST_REQUIRE_SERVERS=true) before JMH would error
		HttpdServer.checkInstalled();
		AzuriteServer.get();
		// JMH refuses to start while another JMH run holds its lock file in the temporary directory (a
		// benchmark, or this test in another build on the same machine): this run measures nothing, so
		// it need not have the machine to itself
		System.setProperty("jmh.ignoreLock", "true");
		Options options = new OptionsBuilder()
			.include(StorageBenchmarks.class.getName() + "\\.")
			.include(NetworkStorageBenchmarks.class.getName() + "\\.")
			.param("size", "4096")
			.forks(0)
			.warmupIterations(0)
			.measurementIterations(1)
			.measurementTime(TimeValue.milliseconds(20))
			.shouldFailOnError(true)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		// local: read_full and write_once 14 subjects at one size, read_range 11, stat 9; network:
		// read_full and write_once 12 (with azblob, webdav, webdav with atomic PUT, and sftp), read_range 4, stat 3
		assertThat(results).hasSize(14 + 14 + 11 + 9 + 12 + 12 + 4 + 3);
		for (RunResult result : results) {
			assertThat(result.getPrimaryResult().getSampleCount()).as(result.getParams().toString()).isPositive();
		}
	}

}
