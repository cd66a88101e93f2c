package dev.objectstorage.sftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient.Handle;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Reads a range of an open file into buffers, one buffer per {@link #next()}, with up to a window
 * of read requests in flight: one request at a time would wait a network round trip for each
 * answer. Requests are sent only while the reader is asked for buffers, so what is read ahead of the
 * subscriber's demand stays within the window (its answers wait in the channel's memory).
 * <p>
 * A server answers a read request with at most its own limit (OpenSSH 255 KiB, MINA SSHD 63 KiB).
 * A short answer is followed by a request for the rest, first in line, and later requests ask for no
 * more than the server answered. So that a whole window of too big requests is not cut short (one
 * follow-up request and round trip each), a channel that does not know yet whether the server
 * answers requests of the read's size whole sends one request first and opens the window when it
 * knows ({@link SftpConnector.Channel#readLimit}).
 * <p>
 * With a {@link Check} (for servers that read through an open handle whatever the path holds now),
 * the reader takes all the answers of a window before it emits any of them, and runs the check
 * then: the check's request goes out after those answers came, so what it sees was there after they
 * were read, and no byte is emitted from a window the check refuses.
 * <p>
 * Not thread-safe: used on the lease's worker only. {@link #drain()} must run before the channel is
 * returned, or answers to requests still in flight would stay in the channel's memory.
 */
final class RemoteReader {

	private final RawSftpClient raw;

	private final byte[] handle;

	private final SftpConnector.Channel channel;

	private final DataBufferFactory factory;

	private final int bufferSize;

	private final int window;

	/** The end of the range (exclusive). */
	private final long end;

	/** The next byte to emit. */
	private long position;

	/** The next byte to request. */
	private long requested;

	private int requestSize;

	/** Requests in flight, in file order. */
	private final Deque<Request> pending = new ArrayDeque<>();

	/** The answer being emitted; its readable bytes start at {@link #position}. */
	private @Nullable Buffer data;

	/** Runs after each window's answers came, before any of them is emitted; or {@code null}. */
	private final @Nullable Check check;

	/** Answers taken and checked, not yet emitted (with a check only), in file order. */
	private final Deque<Buffer> ready = new ArrayDeque<>();

	/** What must still hold after a window's answers came (the file is still the one opened). */
	@FunctionalInterface
	interface Check {

		/**
		 * Runs the check.
		 * @param failure the failure of a read of that window, or {@code null} if they all came
		 * @throws IOException if the check cannot be made, or a {@code StorageException} if it fails
		 */
		void run(@Nullable IOException failure) throws IOException;

	}

	/**
	 * @param channel the channel the handle is open on
	 * @param handle the open file
	 * @param offset the first byte to read
	 * @param length how many bytes to read: the file must have them
	 * @param bufferSize the size of the buffers to emit (the last one may be smaller)
	 * @param requestSize the most to ask for per read request
	 * @param window the most requests in flight
	 * @param factory allocates the buffers
	 */
	RemoteReader(SftpConnector.Channel channel, Handle handle, long offset, long length, int bufferSize,
			int requestSize, int window, DataBufferFactory factory) {
		this(channel, handle, offset, length, bufferSize, requestSize, window, factory, null);
	}

	/**
	 * A reader whose windows pass a check before they are emitted.
	 * @param check runs after each window's answers came, before any of them is emitted, or
	 * {@code null} to emit each answer as it comes
	 */
	RemoteReader(SftpConnector.Channel channel, Handle handle, long offset, long length, int bufferSize,
			int requestSize, int window, DataBufferFactory factory, @Nullable Check check) {
		this.check = check;
		this.raw = channel.raw();
		this.handle = handle.getIdentifier();
		this.channel = channel;
		this.position = offset;
		this.requested = offset;
		this.end = offset + length;
		this.bufferSize = bufferSize;
		int limit = channel.readLimit();
		this.requestSize = (limit > 0) ? Math.min(requestSize, limit) : requestSize;
		this.window = window;
		this.factory = factory;
	}

	/**
	 * The next buffer, or {@code null} at the end of the range.
	 * @throws IOException if the file ended early, the server answered an error, or the channel broke
	 */
	@Nullable DataBuffer next() throws IOException {
		int n = (int) Math.min(this.bufferSize, this.end - this.position);
		if (n == 0) {
			return null;
		}
		DataBuffer buffer = this.factory.allocateBuffer(n);
		try {
			int total = 0;
			try (DataBuffer.ByteBufferIterator it = buffer.writableByteBuffers()) {
				while (total < n && it.hasNext()) {
					ByteBuffer target = it.next();
					if (target.remaining() > n - total) {
						target.limit(target.position() + (n - total));
					}
					while (target.hasRemaining()) {
						Buffer source = data();
						int k = Math.min(target.remaining(), source.available());
						target.put(source.array(), source.rpos(), k);
						source.rpos(source.rpos() + k);
						this.position += k;
						total += k;
					}
				}
			}
			buffer.writePosition(buffer.writePosition() + total);
			return buffer;
		}
		catch (IOException | RuntimeException ex) {
			DataBufferUtils.release(buffer);
			throw ex;
		}
	}

	/** The answer holding the byte at {@link #position}, waiting for it if needed. */
	private Buffer data() throws IOException {
		Buffer current = this.data;
		while (current == null || current.available() == 0) {
			this.data = null;
			current = (this.check != null) ? nextChecked(this.check) : nextAnswer();
		}
		this.data = current;
		return current;
	}

	/** The next answer, as it comes; the window is topped up first. */
	private Buffer nextAnswer() throws IOException {
		fill();
		return receiveHead();
	}

	/** The next answer of a window whose answers all came and passed the check. */
	private Buffer nextChecked(Check check) throws IOException {
		if (this.ready.isEmpty()) {
			fill();
			try {
				while (!this.pending.isEmpty()) {
					this.ready.add(receiveHead());
				}
			}
			catch (IOException ex) {
				this.ready.clear();
				check.run(ex);
				throw ex;
			}
			check.run(null);
		}
		Buffer answer = this.ready.poll();
		if (answer == null) {
			throw new IllegalStateException("no read request in flight before the end of the range");
		}
		return answer;
	}

	/** Waits for the answer to the first request in flight. */
	private Buffer receiveHead() throws IOException {
		Request head = this.pending.poll();
		if (head == null) {
			throw new IllegalStateException("no read request in flight before the end of the range");
		}
		Buffer answer = SftpPackets.data(this.raw.receive(head.id), head.length);
		int got = (answer != null) ? answer.available() : 0;
		if (got == 0) {
			throw new IOException("The file ended early: it was changed by another program while being read");
		}
		this.channel.readAnswered(head.length, got);
		if (got < head.length) {
			// cut short: the rest comes before the requests already in flight (this one is no
			// longer in flight, so the window still holds)
			this.pending.addFirst(send(head.offset + got, head.length - got));
			this.requestSize = Math.min(this.requestSize, got);
		}
		return answer;
	}

	/** Sends requests up to the window, or one while the channel does not know the server's limit. */
	private void fill() throws IOException {
		int allowed = this.channel.answersWhole(this.requestSize) ? this.window : 1;
		while (this.pending.size() < allowed && this.requested < this.end) {
			int length = (int) Math.min(this.requestSize, this.end - this.requested);
			this.pending.add(send(this.requested, length));
			this.requested += length;
		}
	}

	private Request send(long offset, int length) throws IOException {
		return new Request(SftpPackets.sendRead(this.raw, this.handle, offset, length), offset, length);
	}

	/**
	 * Takes the answers to the requests still in flight (a cancelled or failed read), so that none
	 * stays in the channel's memory. Throws if the channel broke: the lease then discards it.
	 */
	void drain() throws IOException {
		this.data = null;
		this.ready.clear();
		for (Request request = this.pending.poll(); request != null; request = this.pending.poll()) {
			this.raw.receive(request.id);
		}
	}

	private record Request(int id, long offset, int length) {
	}

}
