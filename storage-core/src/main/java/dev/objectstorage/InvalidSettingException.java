package dev.objectstorage;

/**
 * A setting of a backend's settings, of a layer or of a builder has a value that cannot work: the
 * exception names the setting as data ({@link #setting()}, its Java name, such as
 * {@code partSize}), so that a caller, such as Spring Boot's auto-configuration, can point at the
 * property it came from without reading the message. The message is for humans and names the
 * setting too ({@code S3 setting 'partSize' must be at least 5 MiB (5242880 bytes), was 1024}); it
 * never repeats a secret.
 * <p>
 * Settings throw it when they are built, before anything connects. Failures found while connecting
 * or operating (a bucket that does not exist, a root directory that is gone, refused credentials, an
 * unknown host key) are {@link StorageException}s of kind {@link ErrorKind#CONFIG_INVALID} instead.
 */
public class InvalidSettingException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String owner;

	private final String setting;

	/**
	 * An invalid value of a setting.
	 * @param owner what the setting belongs to, for the message, for example {@code S3} or
	 * {@code RetryLayer}
	 * @param setting the setting's Java name, for example {@code partSize}
	 * @param problem what is wrong, for example {@code must be at least 1, was 0}
	 */
	public InvalidSettingException(String owner, String setting, String problem) {
		super(owner + " setting '" + setting + "' " + problem);
		this.owner = owner;
		this.setting = setting;
	}

	/**
	 * What the setting belongs to: a backend ({@code S3}, {@code Azure Blob}, {@code WebDAV},
	 * {@code SFTP}, {@code fs}), a layer or a builder.
	 * @return the owner
	 */
	public String owner() {
		return this.owner;
	}

	/**
	 * The Java name of the setting whose value is invalid (or missing): the name of the settings
	 * record's component and of its builder's method, for example {@code partSize} or {@code root}.
	 * @return the setting's name
	 */
	public String setting() {
		return this.setting;
	}

}
