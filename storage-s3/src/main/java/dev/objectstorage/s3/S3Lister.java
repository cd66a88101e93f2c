package dev.objectstorage.s3;

import dev.objectstorage.spi.Etags;
import java.util.ArrayList;
import java.util.List;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.StorageException;
import dev.objectstorage.spi.PathOrder;
import reactor.core.publisher.Flux;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Lists with {@code ListObjectsV2}, one page at a time as the subscriber asks (the SDK's paginator
 * follows continuation tokens). Each page's objects and common prefixes are merged into one sorted
 * run; keys are turned into paths by removing the storage's prefix. Keys out of S3's order are
 * sorted where the whole listing is one page and fail the listing otherwise (see {@link #inOrder}).
 */
final class S3Lister {

	private static final int MAX_KEYS = 1000;

	private S3Lister() {
	}

	static Flux<ObjectEntry> list(S3AsyncClient client, S3Settings settings, String prefix, ListOptions options) {
		String root = settings.prefix();
		ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
			.bucket(settings.bucket())
			.prefix(root + prefix)
			.maxKeys((int) Math.min(MAX_KEYS, Math.max(1, options.limit())));
		if (!options.recursive()) {
			request.delimiter("/");
		}
		String startAfter = options.startAfter();
		if (startAfter != null && PathOrder.compare(startAfter, prefix) >= 0) {
			request.startAfter(root + startAfter);
		}
		return Flux.defer(() -> {
			String[] last = new String[1];
			boolean[] first = { true };
			return Flux.from(client.listObjectsV2Paginator(request.build()))
				.map((page) -> {
					ListObjectsV2Response ordered = inOrder(page, last, first[0]);
					first[0] = false;
					return ordered;
				})
				.concatMapIterable((page) -> entries(page, root, startAfter), 1);
		});
	}

	/**
	 * The page, its keys checked to come in S3's (UTF-8 byte) order, within and across pages. Some
	 * servers list in another order (s3rver walks its directories) and continue each page after its
	 * last key by comparison, so that paging through such a listing could skip or repeat objects:
	 * that fails. A listing that fits in one page cannot skip anything and is sorted here instead.
	 */
	private static ListObjectsV2Response inOrder(ListObjectsV2Response page, String[] last, boolean first) {
		String previous = last[0];
		String outOfOrder = null;
		for (S3Object object : page.contents()) {
			String key = object.key();
			if (previous != null && PathOrder.compare(key, previous) <= 0 && outOfOrder == null) {
				outOfOrder = "'" + key + "' after '" + previous + "'";
			}
			previous = key;
		}
		if (outOfOrder == null) {
			last[0] = previous;
			return page;
		}
		if (!first || Boolean.TRUE.equals(page.isTruncated())) {
			throw new StorageException(ErrorKind.UNEXPECTED, "The S3 server listed " + outOfOrder
					+ ", out of S3's (UTF-8 byte) order; paging through such a listing could skip or repeat objects,"
					+ " so it is refused");
		}
		List<S3Object> contents = new ArrayList<>(page.contents());
		contents.sort((a, b) -> PathOrder.compare(a.key(), b.key()));
		List<CommonPrefix> prefixes = new ArrayList<>(page.commonPrefixes());
		prefixes.sort((a, b) -> PathOrder.compare(a.prefix(), b.prefix()));
		last[0] = contents.isEmpty() ? null : contents.get(contents.size() - 1).key();
		return page.toBuilder().contents(contents).commonPrefixes(prefixes).build();
	}

	private static List<ObjectEntry> entries(ListObjectsV2Response page, String root, String startAfter) {
		List<ObjectEntry> objects = new ArrayList<>(page.contents().size());
		for (S3Object object : page.contents()) {
			String path = object.key().substring(root.length());
			if (path.isEmpty() || path.endsWith("/")) {
				continue; // a directory marker, not an object
			}
			objects.add(ObjectEntry.object(path, (object.size() != null) ? object.size() : -1, object.lastModified(),
					(object.eTag() != null) ? Etags.quote(object.eTag()) : null));
		}
		List<ObjectEntry> directories = new ArrayList<>(page.commonPrefixes().size());
		for (CommonPrefix prefix : page.commonPrefixes()) {
			String path = prefix.prefix().substring(root.length());
			// S3 folds keys after startAfter into their common prefix even when the prefix itself sorts
			// before startAfter; this library lists only entries that sort after it
			if (startAfter == null || PathOrder.compare(path, startAfter) > 0) {
				directories.add(ObjectEntry.directory(path));
			}
		}
		if (directories.isEmpty()) {
			return objects;
		}
		List<ObjectEntry> merged = new ArrayList<>(objects.size() + directories.size());
		int i = 0;
		int j = 0;
		while (i < objects.size() || j < directories.size()) {
			if (j >= directories.size()
					|| (i < objects.size() && PathOrder.compare(objects.get(i).path(), directories.get(j).path()) < 0)) {
				merged.add(objects.get(i++));
			}
			else {
				merged.add(directories.get(j++));
			}
		}
		return merged;
	}

}
