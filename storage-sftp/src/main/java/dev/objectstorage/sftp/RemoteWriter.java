package dev.objectstorage.sftp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient.Handle;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Appends to an open file with up to a window of write requests in flight: one request at a time
 * would wait a network round trip for each answer. An answer is awaited only when the window is
 * full, and all of them by {@link #flush()}: a failed request fails the write then (or at the
 * latest before the file is closed), and the data it carried was copied into the request, so the
 * caller's buffers can be released as soon as {@link #write} returns.
 * <p>
 * Not thread-safe: used on the lease's worker only. {@link #drain()} must run before the channel is
 * returned, or answers to requests still in flight would stay in the channel's memory.
 */
final class RemoteWriter {

	/**
	 * The most data per write request: 32 KiB, within the 34000-byte packets that the SFTP drafts ask
	 * every server to accept (OpenSSH and MINA SSHD take 256 KiB), and a divisor of the usual 64 KiB
	 * buffers.
	 */
	static final int REQUEST_SIZE = 32 * 1024;

	private final RawSftpClient raw;

	private final byte[] handle;

	private final int window;

	private long offset;

	/** The ids of the requests in flight, oldest first. */
	private final Deque<Integer> pending = new ArrayDeque<>();

	/**
	 * @param channel the channel the handle is open on
	 * @param handle the file, open for writing
	 * @param window the most requests in flight
	 */
	RemoteWriter(SftpConnector.Channel channel, Handle handle, int window) {
		this.raw = channel.raw();
		this.handle = handle.getIdentifier();
		this.window = window;
	}

	/**
	 * Sends a buffer's readable bytes after what was written before; does not release the buffer.
	 * @throws IOException the error of an earlier request, or a broken channel
	 */
	void write(DataBuffer buffer) throws IOException {
		try (DataBuffer.ByteBufferIterator it = buffer.readableByteBuffers()) {
			while (it.hasNext()) {
				ByteBuffer bytes = it.next();
				while (bytes.hasRemaining()) {
					if (this.pending.size() >= this.window) {
						awaitOldest();
					}
					int n = Math.min(bytes.remaining(), REQUEST_SIZE);
					this.pending.add(SftpPackets.sendWrite(this.raw, this.handle, this.offset, bytes, n));
					this.offset += n;
				}
			}
		}
	}

	/**
	 * Waits for the answers to all requests in flight.
	 * @throws IOException the first error a request was answered with, or a broken channel
	 */
	void flush() throws IOException {
		while (!this.pending.isEmpty()) {
			awaitOldest();
		}
	}

	private void awaitOldest() throws IOException {
		int id = this.pending.poll();
		SftpPackets.checkWritten(this.raw.receive(id));
	}

	/**
	 * Takes the answers to the requests still in flight without looking at them (a cancelled or
	 * failed write). Throws if the channel broke: the lease then discards it.
	 */
	void drain() throws IOException {
		for (Integer id = this.pending.poll(); id != null; id = this.pending.poll()) {
			this.raw.receive(id);
		}
	}

}
