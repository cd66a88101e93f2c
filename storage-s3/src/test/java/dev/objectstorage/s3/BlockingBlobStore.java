package dev.objectstorage.s3;

import java.io.InputStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Test set-up: an S3Proxy store whose part uploads wait for a permit, so that a test can hold an
 * upload still and look at how much of the source the client has consumed meanwhile.
 */
final class BlockingBlobStore extends ForwardingBlobStore {

	final Semaphore permits = new Semaphore(Integer.MAX_VALUE);

	final AtomicInteger partsStarted = new AtomicInteger();

	BlockingBlobStore(BlobStore delegate) {
		super(delegate);
	}

	@Override
	public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request,
			InputStream input) {
		this.partsStarted.incrementAndGet();
		try {
			if (!this.permits.tryAcquire(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("no permit for the part within 60 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return super.uploadMultipartPart(upload, request, input);
	}

}
