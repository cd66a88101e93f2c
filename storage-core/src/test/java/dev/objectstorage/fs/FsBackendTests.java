package dev.objectstorage.fs;

import java.io.IOException;
import java.time.Instant;
import java.nio.file.attribute.FileTime;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.StorageException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What only the fs backend does: confinement to its root through symbolic links, temporary files,
 * root validation, zero-copy resources. The shared behaviour is in the TCK run (storage-tck).
 */
class FsBackendTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@TempDir
	Path temp;

	Path root;

	Path outside;

	ObjectStorage storage;

	@BeforeEach
	void setUp() throws IOException {
		this.root = Files.createDirectories(this.temp.resolve("root"));
		this.outside = Files.createDirectories(this.temp.resolve("outside"));
		Files.writeString(this.outside.resolve("secret.txt"), "secret");
		this.storage = ObjectStorage.builder()
			.backend(new FsBackend(FsSettings.builder().root(this.root).build()))
			.build();
	}

	private StorageException error(Runnable call) {
		return catchThrowableOfType(StorageException.class, call::run);
	}

	@Test
	void symlinkedFileOutsideTheRootIsNeverRead() throws IOException {
		Files.createSymbolicLink(this.root.resolve("link.txt"), this.outside.resolve("secret.txt"));
		assertThat(error(() -> this.storage.readAllBytes("link.txt").block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(error(() -> this.storage.stat("link.txt").block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(error(() -> this.storage.copy("link.txt", "copy.txt").block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(error(() -> this.storage.open("link.txt").block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(this.storage.list("").collectList().block(TIMEOUT)).isEmpty();
	}

	@Test
	void symlinkedDirectoryOutsideTheRootIsNeitherReadNorWritten() throws IOException {
		Files.createSymbolicLink(this.root.resolve("dir"), this.outside);
		assertThat(error(() -> this.storage.readAllBytes("dir/secret.txt").block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(error(() -> this.storage.write("dir/new.txt", "x".getBytes()).block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(error(() -> this.storage.write("dir/sub/new.txt", "x".getBytes()).block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(error(() -> this.storage.delete("dir/secret.txt").block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(this.outside.resolve("new.txt")).doesNotExist();
		assertThat(this.outside.resolve("sub")).doesNotExist();
		assertThat(this.outside.resolve("secret.txt")).exists();
		assertThat(this.storage.list("", ListOptions.defaults().withRecursive(true)).collectList().block(TIMEOUT))
			.isEmpty();
	}

	@Test
	void listingThroughADirectoryLinkOutOfTheRootIsRefused() throws IOException {
		Files.createDirectories(this.root.resolve("sl"));
		Files.createSymbolicLink(this.root.resolve("sl/etcdir"), this.outside);
		StorageException ex = error(() -> this.storage.list("sl/etcdir/").collectList().block(TIMEOUT));
		assertThat(ex.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(ex.getMessage()).doesNotContain(this.outside.toString());
		assertThat(error(() -> this.storage.list("sl/etcdir/sec", ListOptions.defaults().withRecursive(true))
			.collectList()
			.block(TIMEOUT)).kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
		assertThat(this.storage.list("sl/", ListOptions.defaults().withRecursive(true)).collectList().block(TIMEOUT))
			.as("the link itself is not listed")
			.isEmpty();
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a regression loops: fail, not hang
	void linksBackToADirectoryTheListingIsInsideOfAreNeitherFollowedNorListed() throws IOException {
		this.storage.write("a/x", "x".getBytes()).block(TIMEOUT);
		this.storage.write("b/y", "y".getBytes()).block(TIMEOUT);
		Files.createSymbolicLink(this.root.resolve("a/up"), Path.of("..")); // to the root
		Files.createSymbolicLink(this.root.resolve("a/self"), Path.of(".")); // to its own directory
		Files.createSymbolicLink(this.root.resolve("b/root"), this.root); // to the root, absolute
		Files.createDirectories(this.root.resolve("c/d"));
		Files.createSymbolicLink(this.root.resolve("c/d/loop"), this.root.resolve("c")); // all c holds
		ListOptions recursive = ListOptions.defaults().withRecursive(true);
		assertThat(paths(this.storage.list("", recursive))).containsExactly("a/x", "b/y");
		assertThat(paths(this.storage.list(""))).containsExactly("a/", "b/");
		assertThat(paths(this.storage.list("a/", recursive))).containsExactly("a/x");
		assertThat(paths(this.storage.list("a/"))).containsExactly("a/x");
		assertThat(paths(this.storage.list("c/", recursive))).isEmpty();
		assertThat(paths(this.storage.list("c/"))).isEmpty();
		// a listing below a link that reads do follow: the links back are cut where it stands
		assertThat(paths(this.storage.list("a/up/b/", recursive))).containsExactly("a/up/b/y");
		assertThat(paths(this.storage.list("a/up/"))).containsExactly("a/up/a/", "a/up/b/");
		assertThat(new String(this.storage.readAllBytes("a/up/a/self/x").block(TIMEOUT))).isEqualTo("x");
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a regression loops: fail, not hang
	void linksBetweenTwoDirectoriesAreFollowedOnceEachWay() throws IOException {
		this.storage.write("a/x", "x".getBytes()).block(TIMEOUT);
		this.storage.write("b/y", "y".getBytes()).block(TIMEOUT);
		Files.createSymbolicLink(this.root.resolve("a/tob"), Path.of("../b"));
		Files.createSymbolicLink(this.root.resolve("b/toa"), Path.of("../a"));
		Files.createDirectories(this.root.resolve("e"));
		Files.createDirectories(this.root.resolve("f"));
		Files.createSymbolicLink(this.root.resolve("e/tof"), Path.of("../f"));
		Files.createSymbolicLink(this.root.resolve("f/toe"), Path.of("../e")); // a cycle that holds nothing
		ListOptions recursive = ListOptions.defaults().withRecursive(true);
		assertThat(paths(this.storage.list("", recursive))).containsExactly("a/tob/y", "a/x", "b/toa/x", "b/y");
		assertThat(paths(this.storage.list(""))).containsExactly("a/", "b/");
		assertThat(paths(this.storage.list("a/"))).containsExactly("a/tob/", "a/x");
		assertThat(paths(this.storage.list("a/tob/", recursive))).containsExactly("a/tob/y");
		assertThat(paths(this.storage.list("e/", recursive))).isEmpty();
		assertThat(paths(this.storage.list("e/"))).isEmpty();
	}

	@Test
	void leftoversOfADeadWriterAreSweptAfterTheirMaxAge() throws Exception {
		// a root of its own: the storage of setUp sweeps its root in the background when it starts, and
		// could take the stale file away before the sweep this test counts
		Path root = Files.createDirectories(this.temp.resolve("sweep-root"));
		ObjectStorage storage = ObjectStorage.builder()
			.backend(new FsBackend(FsSettings.builder().root(root).tempMaxAge(Duration.ZERO).build()))
			.build();
		storage.write("keep/object.bin", "kept".getBytes()).block(TIMEOUT);
		// what a writer killed midway leaves behind: a temporary file beside its target
		Path stale = Files.write(root.resolve("keep/.os-tmp-0123456789abcdef"), new byte[1000]);
		Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(25))));
		Path fresh = Files.write(root.resolve("keep/.os-tmp-fedcba9876543210"), new byte[10]);
		Path foreign = Files.write(root.resolve("keep/.os-tmp-not-ours"), new byte[10]);
		Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofHours(25))));
		// no sweep at start
		FsBackend backend = new FsBackend(FsSettings.builder().root(root).tempMaxAge(Duration.ZERO).build());
		assertThat(backend.sweepTemporaryFiles(Duration.ofHours(24))).isEqualTo(1);
		assertThat(stale).doesNotExist();
		assertThat(fresh).as("a write that may still be in progress").exists();
		assertThat(foreign).as("not a name of ours").exists();
		assertThat(storage.readAllBytes("keep/object.bin").block(TIMEOUT)).isEqualTo("kept".getBytes());

		// with the default age, the sweep runs in the background when a backend starts
		Path another = Files.write(root.resolve(".os-tmp-00000000000000aa"), new byte[1]);
		Files.setLastModifiedTime(another, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
		new FsBackend(FsSettings.builder().root(root).build());
		for (int i = 0; i < 600 && Files.exists(another); i++) {
			Thread.sleep(50); // a bounded wait for the background sweep, not a measure of speed
		}
		assertThat(another).doesNotExist();
	}

	@Test
	void symlinkInsideTheRootIsFollowed() throws IOException {
		this.storage.write("real/file.txt", "inside".getBytes()).block(TIMEOUT);
		Files.createSymbolicLink(this.root.resolve("alias.txt"), this.root.resolve("real/file.txt"));
		assertThat(new String(this.storage.readAllBytes("alias.txt").block(TIMEOUT))).isEqualTo("inside");
	}

	@Test
	void failedWriteLeavesNoTemporaryFile() throws IOException {
		Flux<DataBuffer> failing = Flux.concat(
				Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("partial".getBytes())),
				Flux.error(new IllegalStateException("broken source")));
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> this.storage.write("a/b/c.txt", failing).block(TIMEOUT));
		assertThat(filesUnder(this.root)).isEmpty();
	}

	@Test
	void successfulWritesLeaveOnlyTheirFiles() throws IOException {
		this.storage.write("x/y.txt", "y".getBytes()).block(TIMEOUT);
		this.storage.write("x/y.txt", "z".getBytes()).block(TIMEOUT);
		assertThat(filesUnder(this.root)).containsExactly(this.root.resolve("x/y.txt"));
	}

	@Test
	void temporaryNamesAreReservedAndHidden() throws IOException {
		Files.writeString(this.root.resolve(FsBackend.TEMP_PREFIX + "123"), "in progress");
		assertThat(this.storage.list("").collectList().block(TIMEOUT)).isEmpty();
		assertThat(error(() -> this.storage.write(FsBackend.TEMP_PREFIX + "x", "x".getBytes()).block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.INVALID_INPUT);
	}

	@Test
	void emptyDirectoriesAreRemovedByDeleteAndNotListed() throws IOException {
		this.storage.write("a/b/c/file", "x".getBytes()).block(TIMEOUT);
		this.storage.delete("a/b/c/file").block(TIMEOUT);
		assertThat(this.root.resolve("a")).doesNotExist();
		Files.createDirectories(this.root.resolve("empty/nested"));
		assertThat(this.storage.list("").collectList().block(TIMEOUT)).isEmpty();
	}

	@Test
	void objectAndDirectoryOfTheSameNameConflict() {
		this.storage.write("a/b", "x".getBytes()).block(TIMEOUT);
		assertThat(error(() -> this.storage.write("a", "y".getBytes()).block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.ALREADY_EXISTS);
		assertThat(error(() -> this.storage.write("a/b/c", "z".getBytes()).block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.ALREADY_EXISTS);
	}

	@Test
	void aWriteNeverReplacesAnEmptyDirectory() throws IOException {
		Files.createDirectories(this.root.resolve("empty"));
		assertThat(error(() -> this.storage.write("empty", "y".getBytes()).block(TIMEOUT)).kind())
			.isEqualTo(ErrorKind.ALREADY_EXISTS);
		assertThat(this.root.resolve("empty")).isDirectory();
		try (var files = Files.list(this.root)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactly("empty");
		}
	}

	@Test
	void rootThatIsAFileIsAConfigurationError() throws IOException {
		Path file = Files.writeString(this.temp.resolve("file"), "x");
		assertThat(catchThrowableOfType(StorageException.class,
				() -> new FsBackend(FsSettings.builder().root(file).build())).kind())
			.isEqualTo(ErrorKind.CONFIG_INVALID);
		assertThat(catchThrowableOfType(StorageException.class,
				() -> new FsBackend(FsSettings.builder().root(this.temp.resolve("missing")).createRoot(false).build()))
			.kind())
			.isEqualTo(ErrorKind.CONFIG_INVALID);
	}

	@Test
	void resourceReadsThroughTheStorage() throws IOException {
		this.storage.write("r/file.txt", "content".getBytes()).block(TIMEOUT);
		Resource resource = this.storage.resource("r/file.txt");
		assertThat(resource.isFile()).as("no path around the layers").isFalse();
		assertThat(resource.contentLength()).isEqualTo(7);
		assertThat(resource.getContentAsString(StandardCharsets.UTF_8)).isEqualTo("content");
	}

	@Test
	void openedFileIsTransferableAndPinnedToTheVersionOpened() throws IOException {
		this.storage.write("r/pinned.txt", "first version".getBytes()).block(TIMEOUT);
		ObjectContent content = this.storage.open("r/pinned.txt").block(TIMEOUT);
		assertThat(content.isFile()).isTrue();
		this.storage.write("r/pinned.txt", "second".getBytes()).block(TIMEOUT);
		ByteBuffer sent = ByteBuffer.allocate(64);
		content.transferTo((file, position, count, report) -> Mono.fromCallable(() -> {
			sent.limit((int) count);
			file.read(sent, position);
			report.accept(sent.position());
			return sent.position();
		}).then()).block(TIMEOUT);
		assertThat(new String(sent.array(), 0, sent.position(), StandardCharsets.UTF_8)).isEqualTo("first version");
		assertThat(content.metadata().size()).isEqualTo(13);
	}

	/**
	 * File I/O leaves a non-blocking thread (here Reactor's parallel scheduler, as an event loop
	 * would be): the open's result arrives on a bounded-elastic worker. With openOnEventLoop the open
	 * and the stat run in place, while the bytes of a streamed read still leave the thread.
	 */
	@Test
	void openAndStatLeaveNonBlockingThreadsUnlessOpenOnEventLoopIsSet() throws IOException {
		Files.write(this.root.resolve("t.bin"), new byte[100]);
		FsBackend offloading = new FsBackend(FsSettings.builder().root(this.root).tempMaxAge(Duration.ZERO).build());
		FsBackend inPlace = new FsBackend(
				FsSettings.builder().root(this.root).tempMaxAge(Duration.ZERO).openOnEventLoop(true).build());
		assertThat(threadOfOpen(offloading)).startsWith("boundedElastic");
		assertThat(threadOfStat(offloading)).startsWith("boundedElastic");
		assertThat(threadOfOpen(inPlace)).startsWith("parallel");
		assertThat(threadOfStat(inPlace)).startsWith("parallel");
		String bodyThread = Mono.defer(() -> inPlace.open("t.bin", dev.objectstorage.ReadOptions.defaults()))
			.flatMapMany(ObjectContent::body)
			.map((buffer) -> {
				DataBufferUtils.release(buffer);
				return Thread.currentThread().getName();
			})
			.subscribeOn(Schedulers.parallel())
			.blockLast(TIMEOUT);
		assertThat(bodyThread).startsWith("boundedElastic");
	}

	private static String threadOfOpen(FsBackend backend) {
		return Mono.defer(() -> backend.open("t.bin", dev.objectstorage.ReadOptions.defaults())).map((content) -> {
			content.release();
			return Thread.currentThread().getName();
		}).subscribeOn(Schedulers.parallel()).block(TIMEOUT);
	}

	private static String threadOfStat(FsBackend backend) {
		return Mono.defer(() -> backend.stat("t.bin"))
			.map((metadata) -> Thread.currentThread().getName())
			.subscribeOn(Schedulers.parallel())
			.block(TIMEOUT);
	}

	@Test
	void metadataIsKeptInAnExtendedAttributeAndMovesWithRename() {
		FsBackend backend = new FsBackend(FsSettings.builder().root(this.root).build());
		if (!backend.xattrs()) {
			return; // this filesystem keeps no user attributes: the capabilities say so
		}
		this.storage.write("m/a", Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("x".getBytes())),
				dev.objectstorage.WriteOptions.defaults().withContentType("text/x-test")).block(TIMEOUT);
		this.storage.rename("m/a", "m/b").block(TIMEOUT);
		assertThat(this.storage.stat("m/b").block(TIMEOUT).contentType()).isEqualTo("text/x-test");
	}

	@Test
	void fsyncWritesAreReadable() {
		ObjectStorage durable = ObjectStorage.builder()
			.backend(new FsBackend(FsSettings.builder().root(this.root).fsync(true).build()))
			.build();
		durable.write("durable.txt", "safe".getBytes()).block(TIMEOUT);
		assertThat(new String(durable.readAllBytes("durable.txt").block(TIMEOUT))).isEqualTo("safe");
	}

	@Test
	void listingEntriesAgreeWithStat() {
		this.storage.write("l/one", "1".getBytes()).block(TIMEOUT);
		ObjectEntry entry = this.storage.list("l/").blockFirst(TIMEOUT);
		assertThat(entry.etag()).isEqualTo(this.storage.stat("l/one").block(TIMEOUT).etag());
	}

	private static List<String> paths(Flux<ObjectEntry> entries) {
		return entries.map(ObjectEntry::path).collectList().block(TIMEOUT);
	}

	private static List<Path> filesUnder(Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter(Files::isRegularFile).toList();
		}
	}

}
