package dev.objectstorage.autoconfigure;

/**
 * One configured storage.
 *
 * @param name the storage's name ({@code default} for the one under {@code storage.*})
 * @param propertyPrefix where its properties live ({@code storage} or {@code storage.instances.<name>})
 * @param properties its properties
 * @param primary whether it is injected where no qualifier is given
 */
public record StorageDefinition(String name, String propertyPrefix, StorageInstanceProperties properties,
		boolean primary) {

	/**
	 * The full name of one of this storage's properties.
	 * @param relative the property's name below the storage's prefix, for example {@code s3.bucket}
	 * @return the full name, for example {@code storage.instances.photos.s3.bucket}
	 */
	public String property(String relative) {
		return this.propertyPrefix + "." + relative;
	}

}
