package dev.objectstorage.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import dev.objectstorage.s3.S3ProxyServer;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.util.FileSystemUtils;

/**
 * One subject with one stored object of the size under test, set up once per trial (outside the
 * measurement), and the reused array that every read copies its bytes into.
 */
@State(Scope.Benchmark)
public abstract class SubjectState {

	static final String OBJECT = "bench/object.bin";

	static final String WRITTEN = "bench/written.bin";

	Path directory;

	Subject impl;

	byte[] content;

	final byte[] sink = new byte[256 * 1024];

	abstract String subjectName();

	abstract int objectSize();

	@Setup
	public void setUp() throws Exception {
		this.directory = Files.createTempDirectory("storage-bench");
		this.impl = Subjects.create(subjectName(), this.directory);
		this.content = new byte[objectSize()];
		new Random(42).nextBytes(this.content);
		this.impl.put(OBJECT, this.content);
	}

	@TearDown
	public void tearDown() throws Exception {
		this.impl.close();
		FileSystemUtils.deleteRecursively(this.directory);
		if (subjectName().startsWith("s3-")) {
			S3ProxyServer.shutdown(); // its non-daemon threads would keep the benchmark's JVM from exiting
		}
	}

}
