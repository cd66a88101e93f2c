package dev.objectstorage.tck;

import java.util.UUID;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * What the behaviour suite gives a backend's test to build a fresh backend for one test.
 *
 * @param bufferFactory the buffer factory the backend must allocate read buffers with (it tracks leaks)
 * @param root a random, unique name for this test's root (a key prefix, a sub-directory, ...)
 * @param testName the name of the running test, for diagnostics
 */
public record TckContext(DataBufferFactory bufferFactory, String root, String testName) {

	static TckContext create(DataBufferFactory bufferFactory, String testName) {
		return new TckContext(bufferFactory, "tck-" + UUID.randomUUID().toString().substring(0, 13), testName);
	}

}
