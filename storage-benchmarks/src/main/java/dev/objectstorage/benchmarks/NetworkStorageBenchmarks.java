package dev.objectstorage.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cases of {@link StorageBenchmarks} on the network stores, against servers on 127.0.0.1: S3
 * (S3Proxy), Azure Blob (Azurite), WebDAV (Apache httpd with mod_dav_fs) and SFTP (MINA SSHD).
 * {@code run-benchmarks.sh} starts them once per run in processes of their own
 * ({@link BenchmarkServers}) and hands their endpoints to every fork as system properties; without
 * those, each fork starts its own (S3Proxy and MINA SSHD in its JVM), for quick local runs.
 * <p>
 * Subjects: {@code s3-sdk} (the AWS SDK's async client, used directly), {@code azblob-sdk} (the
 * Azure SDK's async blob client, used directly), {@code webdav-netty} (Reactor Netty's HTTP client:
 * plain {@code GET} and {@code PUT}), {@code sftp-mina} (MINA SSHD's SFTP client), and this library:
 * plain ({@code *-library}) and, on S3, also with the default layers ({@code s3-library-layered}),
 * with those and a concurrency limit of 64 ({@code s3-library-limited}) and through the streams
 * ({@code s3-library-streams}). Azure Blob, WebDAV and SFTP run read_full and write_once only.
 * <p>
 * Settings: 10 × 1 s of warm-up (connection pools and the JITs of client and server take longer
 * to settle than local I/O), 5 × 1 s of measurement, one fork per case.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
// the test-jars of the servers bring logback-test.xml files along: use this module's configuration
@Fork(value = 1, jvmArgsAppend = { "-Xmx2g", "-Xms2g", "-Dlogback.configurationFile=logback.xml" })
public class NetworkStorageBenchmarks {

	/** An object of each size, for read_full and write_once. */
	public static class Sized extends SubjectState {

		@Param({ "s3-sdk", "s3-library", "s3-library-layered", "s3-library-limited", "s3-library-streams",
				"azblob-sdk", "azblob-library", "webdav-netty", "webdav-library", "webdav-library-atomicput",
				"sftp-mina", "sftp-library" })
		public String subject;

		@Param({ "4096", "262144", "4194304", "16777216" })
		public int size;

		@Override
		String subjectName() {
			return this.subject;
		}

		@Override
		int objectSize() {
			return this.size;
		}

	}

	/** A 16 MiB object, for read_range. */
	public static class Large extends SubjectState {

		@Param({ "s3-sdk", "s3-library", "s3-library-layered", "s3-library-streams" })
		public String subject;

		@Override
		String subjectName() {
			return this.subject;
		}

		@Override
		int objectSize() {
			return 16 * 1024 * 1024;
		}

	}

	/** A 4 KiB object, for stat. */
	public static class Small extends SubjectState {

		@Param({ "s3-sdk", "s3-library", "s3-library-layered" })
		public String subject;

		@Override
		String subjectName() {
			return this.subject;
		}

		@Override
		int objectSize() {
			return 4096;
		}

	}

	@Benchmark
	public long read_full(Sized state) throws Exception {
		return state.impl.readFull(SubjectState.OBJECT, state.sink);
	}

	@Benchmark
	public void write_once(Sized state) throws Exception {
		state.impl.writeOnce(SubjectState.WRITTEN, state.content);
	}

	@Benchmark
	public long read_range(Large state) throws Exception {
		return state.impl.readRange(SubjectState.OBJECT, 8L * 1024 * 1024, 256 * 1024, state.sink);
	}

	@Benchmark
	public long stat(Small state) throws Exception {
		return state.impl.stat(SubjectState.OBJECT);
	}

}
