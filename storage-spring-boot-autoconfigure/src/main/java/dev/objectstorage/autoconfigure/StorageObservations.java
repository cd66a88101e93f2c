package dev.objectstorage.autoconfigure;

import dev.objectstorage.layer.Layer;
import org.jspecify.annotations.Nullable;

/**
 * Supplies the observation layer of a storage (a Micrometer
 * {@link dev.objectstorage.layer.ObservationLayer} when an {@code ObservationRegistry} bean
 * exists), put outermost so that its span covers everything the operation does.
 */
@FunctionalInterface
public interface StorageObservations {

	/**
	 * The observation layer of one storage.
	 * @param storageName the storage's name
	 * @param includePath whether observations carry the object's path
	 * @return the layer, or {@code null} for none
	 */
	@Nullable Layer create(String storageName, boolean includePath);

}
