package dev.objectstorage;

import dev.objectstorage.spi.StorageBackend;

/**
 * Refuses, before the backend is called, what the backend's {@link Capabilities} say it cannot do,
 * with a {@link StorageException} of kind {@link ErrorKind#UNSUPPORTED} that names the storage, its
 * scheme and what is missing.
 */
final class CapabilityChecks {

	private final Capabilities capabilities;

	private final String name;

	private final StorageBackend backend;

	CapabilityChecks(Capabilities capabilities, String name, StorageBackend backend) {
		this.capabilities = capabilities;
		this.name = name;
		this.backend = backend;
	}

	/** Checks the options of a read: ranges and conditions. */
	void checkRead(ReadOptions options) {
		if (options.hasRange()) {
			require(this.capabilities.readWithRange(), "range reads");
		}
		if (options.ifMatch() != null) {
			require(this.capabilities.readWithIfMatch(), "reads with ifMatch");
		}
		if (options.ifNoneMatch() != null) {
			require(this.capabilities.readWithIfNoneMatch(), "reads with ifNoneMatch");
		}
	}

	/** Checks the options of a write: conditions and metadata. */
	void checkWrite(WriteOptions options) {
		if (options.ifNotExists()) {
			require(this.capabilities.writeWithIfNotExists(), "writes with ifNotExists");
		}
		if (options.ifMatch() != null) {
			require(this.capabilities.writeWithIfMatch(), "writes with ifMatch");
		}
		if (options.contentType() != null) {
			require(this.capabilities.writeWithContentType(), "writes with a content type");
		}
		if (!options.userMetadata().isEmpty()) {
			require(this.capabilities.writeWithUserMetadata(), "writes with user metadata");
		}
		if (options.cacheControl() != null) {
			require(this.capabilities.writeWithCacheControl(), "writes with cache control");
		}
		if (options.contentDisposition() != null) {
			require(this.capabilities.writeWithContentDisposition(), "writes with a content disposition");
		}
	}

	/** Checks the options of a listing: recursion and a start. */
	void checkList(ListOptions options) {
		if (options.recursive()) {
			require(this.capabilities.listWithRecursive(), "recursive listings");
		}
		if (options.startAfter() != null) {
			require(this.capabilities.listWithStartAfter(), "listings with startAfter");
		}
	}

	/** Checks that a copy or a rename is supported. */
	void checkTransfer(Operation operation) {
		require((operation == Operation.COPY) ? this.capabilities.copy() : this.capabilities.rename(),
				operation.id());
	}

	/** Checks that presigned URLs of the operation's kind are supported. */
	void checkPresign(Operation operation) {
		if (operation == Operation.PRESIGN_READ) {
			require(this.capabilities.presignRead(), "presigned read URLs");
		}
		else {
			require(this.capabilities.presignWrite(), "presigned write URLs");
		}
	}

	private void require(boolean supported, String what) {
		if (!supported) {
			throw new StorageException(ErrorKind.UNSUPPORTED,
					"The " + this.backend.scheme() + " backend of storage '" + this.name + "' does not support " + what);
		}
	}

}
