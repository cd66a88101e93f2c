package dev.objectstorage.spi;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks, one chosen per key by its hash: mutual exclusion per object path within
 * one JVM without a lock per path (two paths may share a lock, which only costs waiting). Backends
 * use it where their service offers no atomic check-and-replace.
 */
public final class StripedLocks {

	private final ReentrantLock[] locks;

	/**
	 * Creates the locks.
	 * @param stripes how many locks
	 */
	public StripedLocks(int stripes) {
		this.locks = new ReentrantLock[stripes];
		for (int i = 0; i < stripes; i++) {
			this.locks[i] = new ReentrantLock();
		}
	}

	/**
	 * The lock for a key.
	 * @param key the key, for example an object's path
	 * @return its lock, always the same one for equal keys
	 */
	public ReentrantLock forKey(Object key) {
		return this.locks[(key.hashCode() & 0x7fffffff) % this.locks.length];
	}

}
