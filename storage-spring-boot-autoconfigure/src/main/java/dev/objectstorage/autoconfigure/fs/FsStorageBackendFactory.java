package dev.objectstorage.autoconfigure.fs;

import java.nio.file.Path;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import dev.objectstorage.autoconfigure.BackendSettingsFailuresAccess;
import dev.objectstorage.autoconfigure.InvalidStorageConfigurationException;
import dev.objectstorage.autoconfigure.StorageBackendFactory;
import dev.objectstorage.autoconfigure.StorageDefinition;
import dev.objectstorage.fs.FsBackend;
import dev.objectstorage.fs.FsSettings;
import dev.objectstorage.spi.StorageBackend;

import org.springframework.core.io.buffer.DataBufferFactory;

/**
 * Creates {@code fs} backends from {@code storage.fs.*}.
 */
class FsStorageBackendFactory implements StorageBackendFactory {

	@Override
	public String type() {
		return "fs";
	}

	@Override
	public StorageBackend create(StorageDefinition storage, DataBufferFactory bufferFactory) {
		FsStorageProperties fs = storage.bind("fs", FsStorageProperties.class);
		Path root = fs.getRoot();
		if (root == null) {
			throw new InvalidStorageConfigurationException(storage.property("fs.root"),
					"The root directory of fs storage '" + storage.name() + "' is not set.",
					"Set " + storage.property("fs.root") + " to the directory that should hold the objects.", null);
		}
		long bufferSize = fs.getBufferSize().toBytes();
		if (bufferSize <= 0 || bufferSize > Integer.MAX_VALUE) {
			throw new InvalidStorageConfigurationException(storage.property("fs.buffer-size"),
					"The buffer size " + fs.getBufferSize() + " is not between 1B and 2GB.",
					"Set " + storage.property("fs.buffer-size") + " to a positive size such as 64KB.", null);
		}
		FsSettings settings = BackendSettingsFailuresAccess.build(storage, "fs", () -> FsSettings.builder()
			.root(root)
			.createRoot(fs.isCreateRoot())
			.fsync(fs.isFsync())
			.bufferSize((int) bufferSize)
			.mmapThreshold(fs.getMmapThreshold().toBytes())
			.tempMaxAge(fs.getTempMaxAge())
			.openOnEventLoop(fs.isOpenOnEventLoop())
			.build());
		try {
			return new FsBackend(settings, bufferFactory);
		}
		catch (StorageException ex) {
			if (ex.kind() == ErrorKind.CONFIG_INVALID) {
				throw new InvalidStorageConfigurationException(storage.property("fs.root"), ex.getMessage(),
						"Point " + storage.property("fs.root") + " at a directory the application may write to"
								+ (fs.isCreateRoot() ? "." : ", or set " + storage.property("fs.create-root") + "=true."),
						ex);
			}
			throw ex;
		}
	}

}
