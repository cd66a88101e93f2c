package dev.objectstorage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

import org.springframework.core.io.AbstractResource;

/**
 * A Spring {@link org.springframework.core.io.Resource} view of an object in a storage whose
 * objects are not local files. Every method blocks.
 */
final class StorageResource extends AbstractResource {

	private final ObjectStorage storage;

	private final String path;

	StorageResource(ObjectStorage storage, String path) {
		this.storage = storage;
		this.path = path;
	}

	@Override
	public boolean exists() {
		return Boolean.TRUE.equals(this.storage.exists(this.path).block());
	}

	@Override
	public InputStream getInputStream() throws IOException {
		if (!exists()) {
			throw new FileNotFoundException(getDescription() + " does not exist");
		}
		return this.storage.openInputStream(this.path);
	}

	@Override
	public long contentLength() throws IOException {
		return metadata().size();
	}

	@Override
	public long lastModified() throws IOException {
		Instant modified = metadata().lastModified();
		return (modified != null) ? modified.toEpochMilli() : 0;
	}

	private ObjectMetadata metadata() throws IOException {
		try {
			return this.storage.stat(this.path).block();
		}
		catch (StorageException ex) {
			if (ex.kind() == ErrorKind.NOT_FOUND) {
				throw new FileNotFoundException(getDescription() + " does not exist");
			}
			throw new IOException(ex.getMessage(), ex);
		}
	}

	@Override
	public String getFilename() {
		int slash = this.path.lastIndexOf('/');
		return this.path.substring(slash + 1);
	}

	@Override
	public String getDescription() {
		return "storage object [" + this.storage.name() + ":" + this.path + "]";
	}

	@Override
	public boolean equals(Object other) {
		return this == other || (other instanceof StorageResource that && this.storage == that.storage
				&& this.path.equals(that.path));
	}

	@Override
	public int hashCode() {
		return this.path.hashCode();
	}

}
