package dev.objectstorage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The {@link InputStream} behind {@link ObjectStorage#openInputStream}: turns errors of the read
 * into {@link IOException}s, as callers of an {@code InputStream} expect.
 */
final class StorageInputStream extends FilterInputStream {

	StorageInputStream(InputStream in) {
		super(in);
	}

	@Override
	public int read() throws IOException {
		return call(super::read);
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		return call(() -> super.read(b, off, len));
	}

	private static int call(IoSupplier supplier) throws IOException {
		try {
			return supplier.get();
		}
		catch (StorageException ex) {
			throw new IOException(ex.getMessage(), ex);
		}
	}

	@FunctionalInterface
	private interface IoSupplier {

		int get() throws IOException;

	}

}
