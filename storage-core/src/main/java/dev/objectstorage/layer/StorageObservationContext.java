package dev.objectstorage.layer;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import dev.objectstorage.StorageException;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link ObservationLayer} knows of one operation, for a
 * {@link StorageObservationConvention} to turn into keys.
 */
public class StorageObservationContext extends Observation.Context {

	/** How an operation ended. */
	public enum Outcome {

		/** It completed. */
		SUCCESS,

		/** It failed: see {@link #getError()}. */
		ERROR,

		/** Its subscriber cancelled it (or released a content unread). */
		CANCELLED

	}

	private final String storage;

	private final Operation operation;

	private final @Nullable String path;

	private @Nullable Outcome outcome;

	/**
	 * The context of one operation.
	 * @param storage the storage's name
	 * @param operation the operation
	 * @param path the object's path (or the listing's prefix), or {@code null} when it is not to be
	 * shown
	 */
	public StorageObservationContext(String storage, Operation operation, @Nullable String path) {
		this.storage = storage;
		this.operation = operation;
		this.path = path;
	}

	/**
	 * The storage's name.
	 * @return the name
	 */
	public String getStorage() {
		return this.storage;
	}

	/**
	 * The operation.
	 * @return the operation
	 */
	public Operation getOperation() {
		return this.operation;
	}

	/**
	 * The object's path, the source of a copy or rename, or a listing's prefix.
	 * @return the path, or {@code null} if paths are not observed
	 */
	public @Nullable String getPath() {
		return this.path;
	}

	/**
	 * How the operation ended.
	 * @return the outcome, {@code null} while it runs
	 */
	public @Nullable Outcome getOutcome() {
		return this.outcome;
	}

	void setOutcome(Outcome outcome) {
		this.outcome = outcome;
	}

	/**
	 * The kind of the operation's error.
	 * @return the kind ({@link ErrorKind#UNEXPECTED} for an error that is not a
	 * {@link StorageException}), or {@code null} if it did not fail
	 */
	public @Nullable ErrorKind getErrorKind() {
		Throwable error = getError();
		if (error == null) {
			return null;
		}
		return (error instanceof StorageException se) ? se.kind() : ErrorKind.UNEXPECTED;
	}

}
