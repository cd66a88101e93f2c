package dev.objectstorage.autoconfigure;

import java.util.List;

import dev.objectstorage.autoconfigure.azblob.AzureBlobBackendConfiguration;
import dev.objectstorage.autoconfigure.fs.FsBackendConfiguration;
import dev.objectstorage.autoconfigure.memory.MemoryBackendConfiguration;
import dev.objectstorage.autoconfigure.s3.S3BackendConfiguration;
import dev.objectstorage.autoconfigure.sftp.SftpBackendConfiguration;
import dev.objectstorage.autoconfigure.webdav.WebDavBackendConfiguration;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;

/**
 * The registration of every type of storage the auto-configuration knows: the one place that
 * lists them. Each backend lives in its own package ({@code dev.objectstorage.autoconfigure.<type>})
 * with its properties, its {@link StorageBackendFactory} and a configuration class that declares
 * the factory bean and its {@link StorageBackendType}; adding a backend is adding that package and
 * its type to {@link #ALL}.
 */
public final class StorageBackendTypes {

	/** Every registered type, in the order the documentation shows them. */
	public static final List<StorageBackendType> ALL = List.of(FsBackendConfiguration.TYPE,
			MemoryBackendConfiguration.TYPE, S3BackendConfiguration.TYPE, AzureBlobBackendConfiguration.TYPE,
			WebDavBackendConfiguration.TYPE, SftpBackendConfiguration.TYPE);

	private StorageBackendTypes() {
	}

	/**
	 * The registered type of a name.
	 * @param type the type's name, as written in {@code storage.type}
	 * @return the type, or {@code null} if none is registered under that name
	 */
	public static @Nullable StorageBackendType find(@Nullable String type) {
		for (StorageBackendType candidate : ALL) {
			if (candidate.type().equals(type)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * The names of the registered types, for a message: {@code fs, memory, s3 or sftp}.
	 * @return the names
	 */
	static String names() {
		List<String> names = ALL.stream().map(StorageBackendType::type).toList();
		return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
	}

	/**
	 * Imports the configuration class of every registered type (each decides on its own whether
	 * its backend's module is present).
	 */
	static class Configurations implements ImportSelector {

		@Override
		public String[] selectImports(AnnotationMetadata metadata) {
			return ALL.stream().map((type) -> type.configuration().getName()).toArray(String[]::new);
		}

	}

}
