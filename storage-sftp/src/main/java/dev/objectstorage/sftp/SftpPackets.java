package dev.objectstorage.sftp;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.sshd.common.SshException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;

/**
 * The two SFTP requests that reads and writes keep several of in flight, {@code SSH_FXP_READ} and
 * {@code SSH_FXP_WRITE}, sent and answered one by one through MINA SSHD's {@link RawSftpClient}:
 * {@code SftpClient.read} and {@code SftpClient.write} wait for each answer before they return.
 * Blocking; the caller takes every answer of a request it sent, or the channel keeps it in memory.
 */
final class SftpPackets {

	/**
	 * Room for the SFTP header (length, type, request id) that {@link RawSftpClient#send} puts in
	 * front of the payload: with it, the payload is not copied into a new buffer.
	 */
	private static final int HEADER = 4 + 1 + 4;

	private SftpPackets() {
	}

	/**
	 * Sends a read request.
	 * @return the request id
	 */
	static int sendRead(RawSftpClient raw, byte[] handle, long offset, int length) throws IOException {
		ByteArrayBuffer request = new ByteArrayBuffer(new byte[HEADER + 4 + handle.length + 8 + 4], HEADER, 0, false);
		request.putBytes(handle);
		request.putLong(offset);
		request.putUInt(length);
		return raw.send(SftpConstants.SSH_FXP_READ, request);
	}

	/**
	 * Sends a write request with the next {@code length} bytes of {@code source} (which it consumes).
	 * @return the request id
	 */
	static int sendWrite(RawSftpClient raw, byte[] handle, long offset, ByteBuffer source, int length)
			throws IOException {
		byte[] packet = new byte[HEADER + 4 + handle.length + 8 + 4 + length];
		ByteArrayBuffer request = new ByteArrayBuffer(packet, HEADER, 0, false);
		request.putBytes(handle);
		request.putLong(offset);
		request.putUInt(length);
		source.get(packet, request.wpos(), length);
		request.wpos(request.wpos() + length);
		return raw.send(SftpConstants.SSH_FXP_WRITE, request);
	}

	/**
	 * The data of the answer to a read request.
	 * @param answer the answer, as {@link RawSftpClient#receive} returns it
	 * @param requested the length asked for
	 * @return the answer, its readable bytes the data (maybe fewer than requested), or {@code null}
	 * at the end of the file
	 * @throws SftpException the server's error status
	 */
	static @Nullable Buffer data(Buffer answer, int requested) throws IOException {
		int type = header(answer);
		if (type == SftpConstants.SSH_FXP_DATA) {
			int length = answer.getInt();
			if (length < 0 || length > answer.available() || length > requested) {
				throw new SshException("SFTP protocol violation: " + length + " bytes of data in the answer to a read of "
						+ requested + " bytes");
			}
			answer.wpos(answer.rpos() + length);
			return answer;
		}
		if (type == SftpConstants.SSH_FXP_STATUS) {
			int status = answer.getInt();
			if (status == SftpConstants.SSH_FX_EOF) {
				return null;
			}
			throw status(status, answer);
		}
		throw unexpected(type, "a read");
	}

	/**
	 * Checks the answer to a write request.
	 * @param answer the answer, as {@link RawSftpClient#receive} returns it
	 * @throws SftpException the server's error status
	 */
	static void checkWritten(Buffer answer) throws IOException {
		int type = header(answer);
		if (type != SftpConstants.SSH_FXP_STATUS) {
			throw unexpected(type, "a write");
		}
		int status = answer.getInt();
		if (status != SftpConstants.SSH_FX_OK) {
			throw status(status, answer);
		}
	}

	/** Reads the header of an answer: its length, type and request id; returns the type. */
	private static int header(Buffer answer) {
		answer.getInt(); // the length: the client checked it when it took the packet off the channel
		int type = answer.getUByte();
		answer.getInt(); // the request id: receive(id) returned the answer to that id
		return type;
	}

	private static SftpException status(int status, Buffer answer) {
		String message = (answer.available() >= 4) ? answer.getString() : "";
		return new SftpException(status, message.isEmpty() ? SftpConstants.getStatusName(status) : message);
	}

	private static SshException unexpected(int type, String request) {
		// a broken conversation: the SshException (an IOException) discards the channel
		return new SshException("SFTP protocol violation: " + SftpConstants.getCommandMessageName(type)
				+ " in answer to " + request);
	}

}
