package dev.objectstorage.autoconfigure.sftp;

import java.nio.file.Path;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import dev.objectstorage.autoconfigure.BackendSettingsFailuresAccess;
import dev.objectstorage.autoconfigure.InvalidStorageConfigurationException;
import dev.objectstorage.autoconfigure.StorageBackendFactory;
import dev.objectstorage.autoconfigure.StorageDefinition;
import dev.objectstorage.sftp.SftpBackend;
import dev.objectstorage.sftp.SftpSettings;
import dev.objectstorage.spi.StorageBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * Creates {@code sftp} backends from {@code storage.sftp.*}.
 */
class SftpStorageBackendFactory implements StorageBackendFactory {

	@Override
	public String type() {
		return "sftp";
	}

	@Override
	public StorageBackend create(StorageDefinition storage, DataBufferFactory bufferFactory) {
		SftpSettings settings = settings(storage);
		try {
			return new SftpBackend(settings, bufferFactory);
		}
		catch (StorageException ex) {
			if (ex.kind() != ErrorKind.CONFIG_INVALID) {
				throw ex;
			}
			// the only setting the backend reads when it is built is the private key
			String property = storage.property((settings.privateKeyPath() != null) ? "sftp.private-key-path"
					: "sftp.private-key");
			throw new InvalidStorageConfigurationException(property, ex.getMessage(),
					"Fix " + property + " (and " + storage.property("sftp.private-key-passphrase")
							+ " for an encrypted key).",
					ex);
		}
	}

	SftpSettings settings(StorageDefinition storage) {
		SftpStorageProperties sftp = storage.bind("sftp", SftpStorageProperties.class);
		String host = BackendSettingsFailuresAccess.require(storage, "sftp.host", sftp.getHost(), "host");
		String username = BackendSettingsFailuresAccess.require(storage, "sftp.username", sftp.getUsername(), "user name");
		if (blankToNull(sftp.getPassword()) == null && blankToNull(sftp.getPrivateKey()) == null
				&& blankToNull(sftp.getPrivateKeyPath()) == null) {
			throw new InvalidStorageConfigurationException(storage.property("sftp.password"),
					"No credentials are set for sftp storage '" + storage.name() + "'.",
					"Set " + storage.property("sftp.password") + ", " + storage.property("sftp.private-key") + " or "
							+ storage.property("sftp.private-key-path") + ".",
					null);
		}
		long readChunkSize = sftp.getReadChunkSize().toBytes();
		return BackendSettingsFailuresAccess.build(storage, "sftp", () -> SftpSettings.builder()
			.host(host)
			.port(sftp.getPort())
			.username(username)
			.password(blankToNull(sftp.getPassword()))
			.privateKey(blankToNull(sftp.getPrivateKey()))
			.privateKeyPath(blankToNull(sftp.getPrivateKeyPath()))
			.privateKeyPassphrase(blankToNull(sftp.getPrivateKeyPassphrase()))
			.knownHosts(blankToNull(sftp.getKnownHosts()))
			.acceptAnyHostKey(sftp.isAcceptAnyHostKey())
			.root(sftp.getRoot())
			.createRoot(sftp.isCreateRoot())
			.maxChannels(sftp.getMaxChannels())
			.channelsPerSession(sftp.getChannelsPerSession())
			.connectTimeout(sftp.getConnectTimeout())
			.authTimeout(sftp.getAuthTimeout())
			.acquireTimeout(sftp.getAcquireTimeout())
			.requestsInFlight(sftp.getRequestsInFlight())
			.readChunkSize((int) Math.min(readChunkSize, Integer.MAX_VALUE))
			.metadata(sftp.isMetadata())
			.tempMaxAge(sftp.getTempMaxAge())
			.atomicCreate(sftp.isAtomicCreate())
			.build());
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	/** An empty path (as '${SFTP_KNOWN_HOSTS:}' gives when the variable is unset) means "not set". */
	private static @Nullable Path blankToNull(@Nullable Path value) {
		return (value == null || value.toString().isBlank()) ? null : value;
	}

}
