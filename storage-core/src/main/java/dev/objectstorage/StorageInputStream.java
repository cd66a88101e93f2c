package dev.objectstorage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * The {@link InputStream} behind {@link ObjectStorage#openInputStream}: Spring's
 * {@link DataBufferUtils#subscriberInputStream subscriber InputStream} over the read, which keeps
 * {@value #DEMAND} buffers requested ahead of the reader; errors of the read become
 * {@link IOException}s, as callers of an {@code InputStream} expect.
 * <p>
 * Buffers smaller than {@value #SMALL_SIZE} bytes are first joined (with the backend's
 * {@link DataBufferFactory#join}, a copy unless the factory makes composites) into buffers of at
 * least {@value #JOIN_SIZE} bytes, so that the thread that delivers them wakes the reading thread
 * once per {@value #JOIN_SIZE} bytes rather than once per buffer. HTTP clients deliver bodies in
 * small buffers (the AWS SDK's Netty client, measured against S3Proxy: 8192 bytes each), and a
 * hand-off per 8 KiB, with a demand of 4 such buffers, made S3 streams run at 0.4-0.5 of the
 * reactive read. Larger buffers (the file system's 64 KiB or mapped 1 MiB views, memory's stored
 * chunks) pass as they are: those backends deliver on the reading thread, where a join would only
 * add a copy (it made memory streams 4 times slower). A join ends with the buffer that brings it to
 * {@value #JOIN_SIZE} bytes or with a buffer that is not small, so a joined buffer is less than
 * {@value #JOIN_SIZE} bytes larger than the largest buffer the backend delivers; the stream holds
 * at most {@value #DEMAND} + 1 buffers (queued and being read), plus less than {@value #JOIN_SIZE}
 * bytes being joined.
 */
final class StorageInputStream extends FilterInputStream {

	/** Buffers smaller than this are joined with the next ones. */
	static final int SMALL_SIZE = 32 * 1024;

	/** Small buffers are joined into buffers of at least this size. */
	static final int JOIN_SIZE = 128 * 1024;

	/** How many (joined) buffers the stream keeps requested ahead of the reader. */
	static final int DEMAND = 16;

	private StorageInputStream(InputStream in) {
		super(in);
	}

	/**
	 * A stream over a read.
	 * @param content the read's content
	 * @param bufferFactory the factory of the read's buffers, which joins small ones
	 * @return the stream; closing it cancels the read and releases the buffers it holds
	 */
	static InputStream of(Flux<DataBuffer> content, DataBufferFactory bufferFactory) {
		// Reactor's buffer operators count elements, not bytes: the byte count is kept here, per
		// subscription. bufferUntil releases its pending buffers through the discard hook on cancel.
		Flux<DataBuffer> joined = Flux.defer(() -> {
			long[] pending = new long[1];
			return content.bufferUntil((buffer) -> {
				int size = buffer.readableByteCount();
				pending[0] += size;
				if (size < SMALL_SIZE && pending[0] < JOIN_SIZE) {
					return false;
				}
				pending[0] = 0;
				return true;
			});
		}).map((buffers) -> join(buffers, bufferFactory)).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
		return new StorageInputStream(DataBufferUtils.subscriberInputStream(joined, DEMAND));
	}

	private static DataBuffer join(List<DataBuffer> buffers, DataBufferFactory bufferFactory) {
		return (buffers.size() == 1) ? buffers.get(0) : bufferFactory.join(buffers);
	}

	@Override
	public int read() throws IOException {
		return call(super::read);
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		return call(() -> super.read(b, off, len));
	}

	private static int call(IoSupplier supplier) throws IOException {
		try {
			return supplier.get();
		}
		catch (StorageException ex) {
			throw new IOException(ex.getMessage(), ex);
		}
	}

	@FunctionalInterface
	private interface IoSupplier {

		int get() throws IOException;

	}

}
