package dev.objectstorage.autoconfigure;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * One configured storage.
 *
 * @param name the storage's name ({@code default} for the one under {@code storage.*})
 * @param propertyPrefix where its properties live ({@code storage} or {@code storage.instances.<name>})
 * @param properties its properties: type and layers
 * @param primary whether it is injected where no qualifier is given
 * @param binder binds the settings of its type (see {@link #bind(String, Class)})
 */
public record StorageDefinition(String name, String propertyPrefix, StorageInstanceProperties properties,
		boolean primary, Binder binder) {

	/**
	 * The full name of one of this storage's properties.
	 * @param relative the property's name below the storage's prefix, for example {@code s3.bucket}
	 * @return the full name, for example {@code storage.instances.photos.s3.bucket}
	 */
	public String property(String relative) {
		return this.propertyPrefix + "." + relative;
	}

	/**
	 * Binds the settings of this storage below one segment of its prefix, such as those of its
	 * type: {@code bind("s3", S3StorageProperties.class)} binds {@code storage.s3.*} for the
	 * storage under {@code storage.*}, {@code storage.instances.photos.s3.*} for {@code photos}.
	 * Bound when called, from the environment as it is then: a backend factory calls it once per
	 * storage it creates.
	 * @param relative the segment, for example {@code s3}
	 * @param type the JavaBean class to bind to
	 * @param <T> the class
	 * @return the bound settings; the class's defaults where nothing is set
	 */
	public <T> T bind(String relative, Class<T> type) {
		return this.binder.bindOrCreate(property(relative), Bindable.of(type));
	}

}
