package dev.objectstorage.s3;

import java.util.ArrayList;
import java.util.List;

import dev.objectstorage.Etags;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
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
 * run; keys are turned into paths by removing the storage's prefix.
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
		return Flux.defer(() -> Flux.from(client.listObjectsV2Paginator(request.build())))
			.concatMapIterable((page) -> entries(page, root, startAfter), 1);
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
