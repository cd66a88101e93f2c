package dev.objectstorage.tck;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

/**
 * A {@link DataBufferFactory} over Netty's pooled allocator that remembers every buffer it hands
 * out, so that a test can check that each was released. Netty's own leak detector (run the tests
 * with {@code -Dio.netty.leakDetection.level=paranoid}) reports leaks only when the garbage
 * collector finds them; this check is deterministic. Spring's {@code LeakAwareDataBufferFactory}
 * would do the same, but it lives in spring-core's test fixtures, which are not published.
 */
public final class LeakTrackingBufferFactory implements DataBufferFactory {

	private final NettyDataBufferFactory delegate;

	private final Queue<NettyDataBuffer> buffers = new ConcurrentLinkedQueue<>();

	public LeakTrackingBufferFactory() {
		this(PooledByteBufAllocator.DEFAULT);
	}

	public LeakTrackingBufferFactory(ByteBufAllocator allocator) {
		this.delegate = new NettyDataBufferFactory(allocator);
	}

	@Override
	@Deprecated
	public DataBuffer allocateBuffer() {
		return track(this.delegate.allocateBuffer(256));
	}

	@Override
	public DataBuffer allocateBuffer(int initialCapacity) {
		return track(this.delegate.allocateBuffer(initialCapacity));
	}

	@Override
	public DataBuffer wrap(ByteBuffer byteBuffer) {
		return track(this.delegate.wrap(byteBuffer));
	}

	@Override
	public DataBuffer wrap(byte[] bytes) {
		return track((NettyDataBuffer) this.delegate.wrap(bytes));
	}

	@Override
	public DataBuffer join(List<? extends DataBuffer> dataBuffers) {
		return track((NettyDataBuffer) this.delegate.join(dataBuffers));
	}

	@Override
	public boolean isDirect() {
		return this.delegate.isDirect();
	}

	private NettyDataBuffer track(NettyDataBuffer buffer) {
		this.buffers.add(buffer);
		return buffer;
	}

	/**
	 * How many buffers are still unreleased.
	 * @return the count
	 */
	public long unreleased() {
		return this.buffers.stream().filter((b) -> b.getNativeBuffer().refCnt() > 0).count();
	}

	/**
	 * Waits (up to {@code timeout}, for releases that happen on other threads after a cancel) until
	 * every buffer handed out has been released, and fails if one has not.
	 * @param timeout how long to wait for asynchronous releases
	 */
	public void assertAllReleased(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (unreleased() > 0 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		List<NettyDataBuffer> leaked = this.buffers.stream()
			.filter((b) -> b.getNativeBuffer().refCnt() > 0)
			.collect(Collectors.toList());
		if (!leaked.isEmpty()) {
			String sizes = leaked.stream()
				.limit(10)
				.map((b) -> b.readableByteCount() + "B")
				.collect(Collectors.joining(", "));
			// release them so that one leaking test does not fail the next ones
			leaked.forEach((b) -> b.getNativeBuffer().release(b.getNativeBuffer().refCnt()));
			throw new AssertionError(leaked.size() + " data buffer(s) were not released (sizes: " + sizes + ")");
		}
		this.buffers.clear();
	}

}
