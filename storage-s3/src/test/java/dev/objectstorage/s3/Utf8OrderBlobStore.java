package dev.objectstorage.s3;

import java.util.ArrayList;
import java.util.List;

import dev.objectstorage.spi.PathOrder;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Test set-up for a gap of S3Proxy: its in-memory store lists keys in Java {@code String} order
 * (UTF-16 code units), where S3 lists in UTF-8 binary order; the two differ for characters outside
 * the Basic Multilingual Plane. This wrapper lists everything from the store and pages through it
 * in S3's order. Nothing else about the server changes.
 */
final class Utf8OrderBlobStore extends ForwardingBlobStore {

	Utf8OrderBlobStore(BlobStore delegate) {
		super(delegate);
	}

	@Override
	public ListObjectsV2Response list(ListObjectsV2Request request) {
		List<Object> all = new ArrayList<>();
		String token = null;
		do {
			ListObjectsV2Response page = delegate().list(request.toBuilder()
				.continuationToken(token)
				.startAfter(null)
				.maxKeys(1000)
				.build());
			all.addAll(page.contents());
			all.addAll(page.commonPrefixes());
			token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
		}
		while (token != null);
		all.sort((a, b) -> PathOrder.compare(key(a), key(b)));
		String after = request.continuationToken();
		if (after == null || (request.startAfter() != null && PathOrder.compare(request.startAfter(), after) > 0)) {
			after = request.startAfter();
		}
		int maxKeys = (request.maxKeys() != null) ? request.maxKeys() : 1000;
		List<S3Object> contents = new ArrayList<>();
		List<CommonPrefix> prefixes = new ArrayList<>();
		String last = null;
		boolean truncated = false;
		for (Object entry : all) {
			String key = key(entry);
			if (after != null && PathOrder.compare(key, after) <= 0) {
				continue;
			}
			if (contents.size() + prefixes.size() == maxKeys) {
				truncated = true;
				break;
			}
			if (entry instanceof S3Object object) {
				contents.add(object);
			}
			else {
				prefixes.add((CommonPrefix) entry);
			}
			last = key;
		}
		return ListObjectsV2Response.builder()
			.name(request.bucket())
			.prefix(request.prefix())
			.delimiter(request.delimiter())
			.encodingType(request.encodingType())
			.maxKeys(maxKeys)
			.startAfter(request.startAfter())
			.continuationToken(request.continuationToken())
			.contents(contents)
			.commonPrefixes(prefixes)
			.keyCount(contents.size() + prefixes.size())
			.isTruncated(truncated)
			.nextContinuationToken(truncated ? last : null)
			.build();
	}

	private static String key(Object entry) {
		return (entry instanceof S3Object object) ? object.key() : ((CommonPrefix) entry).prefix();
	}

}
