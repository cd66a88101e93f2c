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
 * The cases on the local stores (fs and memory), each a JMH benchmark whose {@code subject}
 * parameter lines this library up against its baselines in the same run:
 * <ul>
 * <li>{@code read_full}: read a whole object of {@code size} bytes;</li>
 * <li>{@code write_once}: write a whole object of {@code size} bytes from buffers already in memory;</li>
 * <li>{@code read_range}: read 256 KiB from the middle of a 16 MiB object;</li>
 * <li>{@code stat}: read an object's metadata.</li>
 * </ul>
 * Subjects: {@code fs-filechannel} (the machine's limit for files: a FileChannel, writes truncate
 * and write in place), {@code fs-atomic} (what the fs backend has to do, in plain Java: a temporary
 * file written with a FileChannel and moved over the object atomically; stat reads the attributes
 * and the user extended attribute the backend keeps), {@code fs-databufferutils} (Spring's own file
 * I/O), {@code memory-arraycopy} (memory speed), {@code *-opendal} (Apache OpenDAL's Java binding),
 * and this library on each store: plain ({@code *-library}), with the default layers metrics +
 * retry + timeout ({@code *-library-layered}), with those and a concurrency limit of 64
 * ({@code *-library-limited}), and through {@code openInputStream}/{@code openOutputStream}
 * ({@code *-library-streams}).
 * <p>
 * Settings: 3 × 1 s of warm-up and 5 × 1 s of measurement in one fork per case. The network
 * stores are in {@link NetworkStorageBenchmarks}, with 10 s of warm-up.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// the test-jars of the servers bring logback-test.xml files along: use this module's configuration
@Fork(value = 1, jvmArgsAppend = { "-Xmx2g", "-Xms2g", "-Dlogback.configurationFile=logback.xml" })
public class StorageBenchmarks {

	/** An object of each size, for read_full and write_once. */
	public static class Sized extends SubjectState {

		@Param({ "fs-filechannel", "fs-atomic", "fs-databufferutils", "fs-library", "fs-library-layered",
				"fs-library-limited", "fs-library-streams", "fs-opendal", "memory-arraycopy", "memory-library",
				"memory-library-layered", "memory-library-limited", "memory-library-streams", "memory-opendal" })
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

		@Param({ "fs-filechannel", "fs-databufferutils", "fs-library", "fs-library-layered", "fs-library-streams",
				"fs-opendal", "memory-arraycopy", "memory-library", "memory-library-layered",
				"memory-library-streams", "memory-opendal" })
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

		@Param({ "fs-filechannel", "fs-atomic", "fs-library", "fs-library-layered", "fs-opendal",
				"memory-arraycopy", "memory-library", "memory-library-layered", "memory-opendal" })
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
