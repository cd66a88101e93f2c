package dev.objectstorage.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Test set-up: faults injected into the real S3 server's store (S3Proxy turns an exception here
 * into an HTTP error, and a body stream that fails into a response cut off mid-body). Each fault
 * applies to the next {@code n} requests of its kind, then the store behaves again.
 */
final class FaultyBlobStore extends ForwardingBlobStore {

	final AtomicInteger failingGets = new AtomicInteger();

	final AtomicInteger failingHeads = new AtomicInteger();

	final AtomicInteger failingPuts = new AtomicInteger();

	final AtomicInteger failingParts = new AtomicInteger();

	final AtomicInteger parts = new AtomicInteger();

	volatile int status = 500;

	volatile String code = "InternalError";

	final AtomicInteger cutGets = new AtomicInteger();

	volatile long cutAfterBytes;

	/** Runs on the server, just before a cut breaks the body (to change the object meanwhile, say). */
	volatile Runnable onCut = () -> {
	};

	final AtomicInteger gets = new AtomicInteger();

	final AtomicInteger heads = new AtomicInteger();

	final AtomicInteger puts = new AtomicInteger();

	FaultyBlobStore(BlobStore delegate) {
		super(delegate);
	}

	/** The next {@code count} GET, HEAD and PUT requests fail with this status and S3 error code. */
	FaultyBlobStore failing(int status, String code) {
		this.status = status;
		this.code = code;
		return this;
	}

	void reset() {
		this.onCut = () -> {
		};
		this.failingGets.set(0);
		this.failingHeads.set(0);
		this.failingPuts.set(0);
		this.failingParts.set(0);
		this.parts.set(0);
		this.cutGets.set(0);
		this.gets.set(0);
		this.heads.set(0);
		this.puts.set(0);
	}

	private S3Exception error() {
		return (S3Exception) S3Exception.builder()
			.statusCode(this.status)
			.message("injected " + this.code)
			.awsErrorDetails(AwsErrorDetails.builder().errorCode(this.code).errorMessage("injected").build())
			.build();
	}

	/**
	 * The error, once the request's body is read: an answer sent while the client is still sending
	 * makes Jetty close the connection, and the client may then see the closed connection instead.
	 */
	private S3Exception errorAfterReading(InputStream input) {
		try {
			input.transferTo(java.io.OutputStream.nullOutputStream());
		}
		catch (IOException ex) {
			// the error below is the point
		}
		return error();
	}

	private static boolean take(AtomicInteger counter) {
		return counter.getAndUpdate((n) -> Math.max(0, n - 1)) > 0;
	}

	@Override
	public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
		this.gets.incrementAndGet();
		if (take(this.failingGets)) {
			throw error();
		}
		ResponseInputStream<GetObjectResponse> blob = super.getBlob(request);
		if (take(this.cutGets)) {
			return new ResponseInputStream<>(blob.response(), new Cut(blob, this.cutAfterBytes, this.onCut));
		}
		return blob;
	}

	@Override
	public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
		this.heads.incrementAndGet();
		if (take(this.failingHeads)) {
			throw error();
		}
		return super.blobMetadata(request);
	}

	@Override
	public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
		this.puts.incrementAndGet();
		if (take(this.failingPuts)) {
			throw errorAfterReading(input);
		}
		return super.putBlob(request, input);
	}

	@Override
	public software.amazon.awssdk.services.s3.model.UploadPartResponse uploadMultipartPart(
			org.gaul.s3proxy.blobstore.domain.MultipartUpload upload,
			software.amazon.awssdk.services.s3.model.UploadPartRequest request, InputStream input) {
		this.parts.incrementAndGet();
		if (take(this.failingParts)) {
			throw errorAfterReading(input);
		}
		return super.uploadMultipartPart(upload, request, input);
	}

	/** A body that breaks after some bytes, as a dropped connection does. */
	private static final class Cut extends FilterInputStream {

		private final AtomicLong left;

		private final Runnable onCut;

		Cut(InputStream in, long bytes, Runnable onCut) {
			super(in);
			this.left = new AtomicLong(bytes);
			this.onCut = onCut;
		}

		private IOException cut() {
			this.onCut.run();
			return new IOException("injected: connection dropped");
		}

		@Override
		public int read() throws IOException {
			if (this.left.get() <= 0) {
				throw cut();
			}
			this.left.decrementAndGet();
			return super.read();
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			long left = this.left.get();
			if (left <= 0) {
				throw cut();
			}
			int n = super.read(b, off, (int) Math.min(len, left));
			if (n > 0) {
				this.left.addAndGet(-n);
			}
			return n;
		}

	}

}
