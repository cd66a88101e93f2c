package dev.objectstorage.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.jspecify.annotations.Nullable;

/**
 * The one place where SSH and SFTP errors become {@link StorageException}s: SFTP status codes,
 * connection, authentication and host key failures, timeouts.
 */
final class SftpErrors {

	private SftpErrors() {
	}

	/**
	 * Maps any error of an operation.
	 * @param error the error
	 * @param operation the operation
	 * @param path the path the operation was about, or {@code null}
	 * @return the storage exception
	 */
	static StorageException map(Throwable error, Operation operation, @Nullable String path) {
		Throwable ex = (error instanceof UncheckedIOException unchecked) ? unchecked.getCause() : error;
		if (ex instanceof StorageException se) {
			return se;
		}
		if (ex instanceof SftpException sftp) {
			return status(sftp, operation, path);
		}
		String where = (path != null) ? " (" + path + ")" : "";
		if (isTimeout(ex)) {
			return new StorageException(ErrorKind.TIMEOUT, "SFTP server did not answer in time" + where + ": " + ex.getMessage(),
					operation, path, null, true, ex);
		}
		if (hasCause(ex, ConnectException.class) || hasCause(ex, NoRouteToHostException.class)) {
			return new StorageException(ErrorKind.UNEXPECTED, "Cannot connect to the SFTP server: " + ex.getMessage(),
					operation, path, null, true, ex);
		}
		if (hasCause(ex, UnknownHostException.class) || hasCause(ex, UnresolvedAddressException.class)) {
			return new StorageException(ErrorKind.CONFIG_INVALID,
					"Unknown SFTP host (check the host setting): " + ex.getMessage(), operation, path, null, false, ex);
		}
		if (ex instanceof IOException) {
			// the connection or channel broke: a new one may work
			return new StorageException(ErrorKind.UNEXPECTED, "SFTP connection failed" + where + ": " + ex.getMessage(),
					operation, path, null, true, ex);
		}
		return new StorageException(ErrorKind.UNEXPECTED, "Unexpected error" + where + ": " + ex, operation, path, null,
				false, ex);
	}

	private static StorageException status(SftpException ex, Operation operation, @Nullable String path) {
		int status = ex.getStatus();
		String message = "SFTP server answered " + SftpConstants.getStatusName(status)
				+ ((path != null) ? " for " + path : "") + ": " + ex.getMessage();
		ErrorKind kind;
		boolean temporary = false;
		switch (status) {
			case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH -> kind = ErrorKind.NOT_FOUND;
			case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT,
					SftpConstants.SSH_FX_CANNOT_DELETE -> kind = ErrorKind.PERMISSION_DENIED;
			case SftpConstants.SSH_FX_FILE_ALREADY_EXISTS, SftpConstants.SSH_FX_DIR_NOT_EMPTY,
					SftpConstants.SSH_FX_NOT_A_DIRECTORY, SftpConstants.SSH_FX_FILE_IS_A_DIRECTORY -> {
				kind = ErrorKind.ALREADY_EXISTS;
				message += " (a file or directory is in the way: SFTP cannot hold both an object 'a' and an object 'a/b')";
			}
			case SftpConstants.SSH_FX_OP_UNSUPPORTED -> kind = ErrorKind.UNSUPPORTED;
			case SftpConstants.SSH_FX_INVALID_FILENAME -> kind = ErrorKind.INVALID_INPUT;
			case SftpConstants.SSH_FX_NO_CONNECTION, SftpConstants.SSH_FX_CONNECTION_LOST -> {
				kind = ErrorKind.UNEXPECTED;
				temporary = true;
			}
			case SftpConstants.SSH_FX_LOCK_CONFLICT, SftpConstants.SSH_FX_BYTE_RANGE_LOCK_CONFLICT -> {
				kind = ErrorKind.UNEXPECTED;
				temporary = true;
			}
			default -> kind = ErrorKind.UNEXPECTED;
		}
		return new StorageException(kind, message, operation, path, null, temporary, ex);
	}

	/**
	 * Whether an SFTP error is the server's "no such file".
	 * @param error the error
	 * @return {@code true} for {@code SSH_FX_NO_SUCH_FILE} and {@code SSH_FX_NO_SUCH_PATH}
	 */
	static boolean isNotFound(Throwable error) {
		return error instanceof SftpException sftp && (sftp.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE
				|| sftp.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH);
	}

	/**
	 * Whether an error means the SFTP channel (or its connection) cannot be used any more: anything
	 * but a status answered by the server.
	 * @param error the error
	 * @return {@code true} if the channel must be discarded
	 */
	static boolean breaksChannel(Throwable error) {
		if (error instanceof SftpException sftp) {
			return sftp.getStatus() == SftpConstants.SSH_FX_NO_CONNECTION
					|| sftp.getStatus() == SftpConstants.SSH_FX_CONNECTION_LOST
					|| sftp.getStatus() == SftpConstants.SSH_FX_BAD_MESSAGE;
		}
		return error instanceof IOException || error instanceof UncheckedIOException;
	}

	/**
	 * The error for a failed authentication.
	 * @param user the user
	 * @param target where, {@code host:port}
	 * @param cause what MINA SSHD reported
	 * @return the error, of kind {@link ErrorKind#PERMISSION_DENIED}
	 */
	static StorageException authenticationFailed(String user, String target, Throwable cause) {
		return new StorageException(ErrorKind.PERMISSION_DENIED, "SFTP authentication of user '" + user + "' at "
				+ target + " failed (check the password or private key): " + cause.getMessage(), cause);
	}

	/**
	 * The error for a server whose host key is not trusted.
	 * @param target where, {@code host:port}
	 * @param fingerprint the fingerprint of the key the server presented
	 * @param knownHosts which known hosts file was consulted
	 * @param cause what MINA SSHD reported
	 * @return the error, of kind {@link ErrorKind#CONFIG_INVALID}
	 */
	static StorageException hostKeyRejected(String target, String fingerprint, String knownHosts,
			@Nullable Throwable cause) {
		return new StorageException(ErrorKind.CONFIG_INVALID, "The host key of the SFTP server " + target + " ("
				+ fingerprint + ") is not trusted: it is not listed, or listed with another key, in " + knownHosts
				+ ". Check the fingerprint with the server's administrator and add the key to that file"
				+ " (for example with ssh-keyscan); a changed key may mean someone intercepts the connection", cause);
	}

	/**
	 * The error for an unusable private key setting.
	 * @param what which setting
	 * @param cause why
	 * @return the error, of kind {@link ErrorKind#CONFIG_INVALID}
	 */
	static StorageException badPrivateKey(String what, Throwable cause) {
		return new StorageException(ErrorKind.CONFIG_INVALID,
				"Cannot load the SFTP private key from " + what + " (wrong format or passphrase?): " + cause.getMessage(),
				cause);
	}

	private static boolean isTimeout(Throwable ex) {
		if (hasCause(ex, TimeoutException.class) || hasCause(ex, SocketTimeoutException.class)) {
			return true;
		}
		for (Throwable t = ex; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			String message = t.getMessage();
			if (t instanceof SshException && message != null && message.toLowerCase(Locale.ROOT).contains("timeout")) {
				return true;
			}
		}
		return false;
	}

	private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable t = ex; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

}
