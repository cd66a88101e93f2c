package dev.objectstorage.s3;

import java.net.URI;
import java.util.function.UnaryOperator;

import org.gaul.s3proxy.blobstore.BlobStore;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 server for the tests: S3Proxy with its in-memory ("transient") store, embedded, on a
 * free port of 127.0.0.1, checking AWS signatures against throwaway credentials. Started once per
 * test JVM and stopped when it exits.
 * <p>
 * Known gaps of S3Proxy that the tests work around in set-up only: no object tagging, object lock
 * or SSE-C (the backend uses none of them).
 */
public final class S3ProxyServer {

	public static final String ACCESS_KEY = "test-access-key";

	public static final String SECRET_KEY = "test-secret-key";

	public static final String BUCKET = "tck-bucket";

	private static S3ProxyServer instance;

	private final S3Proxy proxy;

	private final TransientNio2BlobStore store;

	private S3ProxyServer(UnaryOperator<BlobStore> wrapper) throws Exception {
		this.store = new TransientNio2BlobStore();
		this.store.createContainer(BUCKET);
		this.proxy = S3Proxy.builder()
			.blobStore(wrapper.apply(new Utf8OrderBlobStore(this.store)))
			.endpoint(URI.create("http://127.0.0.1:0"))
			.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
			.build();
		this.proxy.start();
		while (!"STARTED".equals(this.proxy.getState())) {
			Thread.sleep(10);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				this.proxy.stop();
			}
			catch (Exception ex) {
				// the JVM is exiting
			}
		}));
	}

	public static synchronized S3ProxyServer get() {
		if (instance == null) {
			try {
				instance = new S3ProxyServer(UnaryOperator.identity());
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not start S3Proxy", ex);
			}
		}
		return instance;
	}

	/**
	 * A server of its own, whose store the given wrapper can change (to inject faults); the caller stops it.
	 */
	public static S3ProxyServer dedicated(UnaryOperator<BlobStore> wrapper) {
		try {
			return new S3ProxyServer(wrapper);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start S3Proxy", ex);
		}
	}

	public void stop() throws Exception {
		this.proxy.stop();
	}

	/**
	 * Stops the shared server, if it runs (its threads would otherwise keep the JVM alive); the next
	 * {@link #get()} starts a new one.
	 */
	public static synchronized void shutdown() throws Exception {
		if (instance != null) {
			instance.stop();
			instance = null;
		}
	}

	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.proxy.getPort());
	}

	public TransientNio2BlobStore store() {
		return this.store;
	}

	/** Settings for a storage under the given prefix of the test bucket. */
	public S3Settings settings(String prefix) {
		return S3Settings.builder()
			.bucket(BUCKET)
			.prefix(prefix)
			.endpoint(endpoint())
			.region("us-east-1")
			.pathStyleAccess(true)
			.credentials(ACCESS_KEY, SECRET_KEY)
			.build();
	}

}
