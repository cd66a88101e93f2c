package dev.objectstorage.s3;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Test set-up: an S3Proxy store that records, per key, which write requests reached it
 * ({@code put}, {@code create}, {@code part}, {@code complete}), so that a test can tell a single
 * {@code PutObject} from a multipart upload.
 */
final class CountingBlobStore extends ForwardingBlobStore {

	private final Map<String, List<String>> requests = new ConcurrentHashMap<>();

	CountingBlobStore(BlobStore delegate) {
		super(delegate);
	}

	/** The write requests that reached the store for a key, in order. */
	List<String> requests(String key) {
		return List.copyOf(this.requests.getOrDefault(key, List.of()));
	}

	private void record(String key, String request) {
		this.requests.computeIfAbsent(key, (k) -> new CopyOnWriteArrayList<>()).add(request);
	}

	@Override
	public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
		record(request.key(), "put");
		return super.putBlob(request, input);
	}

	@Override
	public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
		record(request.key(), "create");
		return super.initiateMultipartUpload(request);
	}

	@Override
	public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request,
			InputStream input) {
		record(upload.blobName(), "part");
		return super.uploadMultipartPart(upload, request, input);
	}

	@Override
	public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
			CompleteMultipartUploadRequest request) {
		record(upload.blobName(), "complete");
		return super.completeMultipartUpload(upload, request);
	}

}
