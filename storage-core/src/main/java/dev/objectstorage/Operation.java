package dev.objectstorage;

/**
 * The operations of an {@link ObjectStorage}, as named in errors, metrics and the Actuator endpoint.
 */
public enum Operation {

	READ("read"), WRITE("write"), STAT("stat"), DELETE("delete"), DELETE_ALL("deleteAll"), LIST("list"),
	COPY("copy"), RENAME("rename"), PRESIGN_READ("presignRead"), PRESIGN_WRITE("presignWrite");

	private final String id;

	Operation(String id) {
		this.id = id;
	}

	/**
	 * The name used in metric tags and in the Actuator endpoint (for example {@code deleteAll}).
	 * @return the operation's identifier
	 */
	public String id() {
		return this.id;
	}

}
