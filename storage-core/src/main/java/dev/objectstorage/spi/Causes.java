package dev.objectstorage.spi;

/**
 * Looks through an exception's cause chain, for the error mappers of backends: client libraries
 * wrap the I/O error or timeout that decides the {@link dev.objectstorage.ErrorKind} in their own
 * exceptions, sometimes several levels deep.
 */
public final class Causes {

	private Causes() {
	}

	/**
	 * Whether a cause of the exception (not the exception itself) is of the given type.
	 * @param ex the exception
	 * @param type the type to look for
	 * @return {@code true} if a cause is an instance of {@code type}
	 */
	public static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable t = ex.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the exception or one of its causes has a class of the given simple name, for types of
	 * libraries that are optional at run time (Netty's {@code ReadTimeoutException}, for one).
	 * @param ex the exception
	 * @param simpleName the class's simple name
	 * @return {@code true} if the exception or a cause has that simple class name
	 */
	public static boolean hasCauseNamed(Throwable ex, String simpleName) {
		for (Throwable t = ex; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (t.getClass().getSimpleName().equals(simpleName)) {
				return true;
			}
		}
		return false;
	}

}
