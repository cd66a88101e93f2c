package dev.objectstorage.azblob;

import dev.objectstorage.spi.Etags;
import java.util.ArrayList;
import java.util.List;

import com.azure.core.http.rest.PagedFlux;
import com.azure.core.http.rest.PagedResponse;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.ListBlobsOptions;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.spi.PathOrder;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Lists with {@code List Blobs}, one page at a time as the subscriber asks: flat for recursive
 * listings, hierarchical with the delimiter {@code /} otherwise (deeper levels come back as blob
 * prefixes). Blob names become paths by removing the storage's prefix.
 * <p>
 * {@code startAfter} is sent as {@code startFrom} (inclusive, hence the entry itself is dropped
 * here); prefixes that sort before it are dropped too, as Azure folds the names after it into their
 * prefix even when the prefix itself sorts before it.
 * <p>
 * Order: Azurite sorts names as JavaScript strings, by UTF-16 code unit, which puts characters
 * above U+FFFF before U+E000..U+FFFF, unlike the code point (UTF-8 byte) order of
 * {@link PathOrder}. Each page is therefore sorted in {@link PathOrder}, and {@code startFrom} is cut
 * before the first character at or above U+D800, where the two orders can disagree. Names on either
 * side of such a disagreement that fall on different pages (more than 5000 entries apart) can still
 * come out of order on such a server.
 */
final class AzureBlobLister {

	/** The largest page Azure returns. */
	private static final int MAX_RESULTS = 5000;

	private AzureBlobLister() {
	}

	static Flux<ObjectEntry> list(BlobContainerAsyncClient container, String root, String prefix,
			ListOptions options) {
		ListBlobsOptions request = new ListBlobsOptions().setPrefix(root + prefix);
		int pageSize = (int) Math.min(MAX_RESULTS, Math.max(1, options.limit()));
		String startAfter = options.startAfter();
		if (startAfter != null && PathOrder.compare(startAfter, prefix) >= 0) {
			String from = safeStart(startAfter);
			int slash = from.indexOf('/', prefix.length());
			if (!options.recursive() && slash >= 0) {
				// a hierarchical listing takes one level only in startFrom (Azure may refuse more)
				from = from.substring(0, slash);
			}
			if (from.length() > prefix.length()) {
				request.setStartFrom(root + from);
			}
		}
		else {
			startAfter = null; // everything under the prefix sorts after it
		}
		String after = startAfter;
		return Flux.defer(() -> {
			PagedFlux<BlobItem> items = options.recursive() ? container.listBlobs(request)
					: container.listBlobsByHierarchy("/", request);
			// Azure has been seen to repeat a directory entry as the last of one page and the first of
			// the next: drop an entry equal to the one before it
			String[] last = new String[1];
			return items.byPage(pageSize)
				.concatMapIterable((page) -> entries(page, root, after), 1)
				.filter((entry) -> {
					boolean repeated = entry.path().equals(last[0]);
					last[0] = entry.path();
					return !repeated;
				});
		});
	}

	/** The longest start of {@code startAfter} on which UTF-16 and code point order agree. */
	static String safeStart(String startAfter) {
		for (int i = 0; i < startAfter.length(); i++) {
			if (startAfter.charAt(i) >= Character.MIN_SURROGATE) {
				return startAfter.substring(0, i);
			}
		}
		return startAfter;
	}

	private static List<ObjectEntry> entries(PagedResponse<BlobItem> page, String root, @Nullable String startAfter) {
		List<ObjectEntry> entries = new ArrayList<>(page.getValue().size());
		for (BlobItem item : page.getValue()) {
			String path = item.getName().substring(Math.min(root.length(), item.getName().length()));
			if (path.isEmpty() || (startAfter != null && PathOrder.compare(path, startAfter) <= 0)) {
				continue;
			}
			if (Boolean.TRUE.equals(item.isPrefix())) {
				entries.add(ObjectEntry.directory(path));
			}
			else if (!path.endsWith("/")) { // a directory marker made by a tool is not an object
				BlobItemProperties properties = item.getProperties();
				entries.add(ObjectEntry.object(path,
						(properties.getContentLength() != null) ? properties.getContentLength() : -1,
						(properties.getLastModified() != null) ? properties.getLastModified().toInstant() : null,
						(properties.getETag() != null) ? Etags.quote(properties.getETag()) : null));
			}
		}
		entries.sort((a, b) -> PathOrder.compare(a.path(), b.path()));
		return entries;
	}

}
