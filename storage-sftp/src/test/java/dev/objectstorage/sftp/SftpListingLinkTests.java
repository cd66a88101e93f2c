package dev.objectstorage.sftp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.tck.StorageTck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listings over directory links that the server shows, against real servers (embedded MINA SSHD,
 * whose realpath does not resolve links; OpenSSH where it runs, whose realpath does): a link back
 * to a directory the listing is inside of is neither followed nor shown, links between two
 * directories are followed once each way. A regression loops, so each test fails after 60 s
 * instead of hanging.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SftpListingLinkTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final ListOptions RECURSIVE = ListOptions.defaults().withRecursive(true);

	private static EmbeddedSftpServer server;

	@BeforeAll
	static void start() {
		server = EmbeddedSftpServer.start();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	@Test
	void minaLinksBackAreNeitherFollowedNorListed() throws IOException {
		String root = "links-" + UUID.randomUUID().toString().substring(0, 8);
		try (ObjectStorage storage = storage(new SftpBackend(server.settings("/" + root)))) {
			linksBackAreNeitherFollowedNorListed(storage, server.directory().resolve(root));
		}
	}

	@Test
	void minaLinksBetweenTwoDirectoriesAreFollowedOnceEachWay() throws IOException {
		String root = "links-" + UUID.randomUUID().toString().substring(0, 8);
		try (ObjectStorage storage = storage(new SftpBackend(server.settings("/" + root)))) {
			linksBetweenTwoDirectoriesAreFollowedOnceEachWay(storage, server.directory().resolve(root));
		}
	}

	@Test
	void openSshLinksBackAreNeitherFollowedNorListed() throws IOException {
		OpenSshServer openssh = OpenSshServer.getOrSkip();
		String root = "links-" + UUID.randomUUID().toString().substring(0, 8);
		try (ObjectStorage storage = storage(new SftpBackend(openssh.settings(root)))) {
			linksBackAreNeitherFollowedNorListed(storage, openssh.dataDirectory().resolve(root));
		}
	}

	@Test
	void openSshLinksBetweenTwoDirectoriesAreFollowedOnceEachWay() throws IOException {
		OpenSshServer openssh = OpenSshServer.getOrSkip();
		String root = "links-" + UUID.randomUUID().toString().substring(0, 8);
		try (ObjectStorage storage = storage(new SftpBackend(openssh.settings(root)))) {
			linksBetweenTwoDirectoriesAreFollowedOnceEachWay(storage, openssh.dataDirectory().resolve(root));
		}
	}

	private static void linksBackAreNeitherFollowedNorListed(ObjectStorage storage, Path local) throws IOException {
		write(storage, "a/x", "x");
		write(storage, "b/y", "y");
		Files.createSymbolicLink(local.resolve("a/up"), Path.of("..")); // to the root
		Files.createSymbolicLink(local.resolve("a/self"), Path.of(".")); // to its own directory
		Files.createSymbolicLink(local.resolve("b/root"), Path.of("../../" + local.getFileName())); // the root, by its name
		Files.createDirectories(local.resolve("c/d"));
		Files.createSymbolicLink(local.resolve("c/d/loop"), Path.of("..")); // all c holds
		Files.createSymbolicLink(local.resolve("c/d/via"), Path.of("../../b/root/c")); // c again, through a link
		assertThat(paths(storage.list("", RECURSIVE))).containsExactly("a/x", "b/y");
		assertThat(paths(storage.list(""))).containsExactly("a/", "b/");
		assertThat(paths(storage.list("a/", RECURSIVE))).containsExactly("a/x");
		assertThat(paths(storage.list("a/"))).containsExactly("a/x");
		assertThat(paths(storage.list("c/", RECURSIVE))).isEmpty();
		assertThat(paths(storage.list("c/"))).isEmpty();
		// a listing below a link that reads do follow: the links back are cut where it stands
		assertThat(paths(storage.list("a/up/b/", RECURSIVE))).containsExactly("a/up/b/y");
		assertThat(paths(storage.list("a/up/"))).containsExactly("a/up/a/", "a/up/b/");
		assertThat(new String(StorageTck.collect(storage.read("a/up/a/self/x")), StandardCharsets.UTF_8))
			.isEqualTo("x");
	}

	private static void linksBetweenTwoDirectoriesAreFollowedOnceEachWay(ObjectStorage storage, Path local)
			throws IOException {
		write(storage, "a/x", "x");
		write(storage, "b/y", "y");
		Files.createSymbolicLink(local.resolve("a/tob"), Path.of("../b"));
		Files.createSymbolicLink(local.resolve("b/toa"), Path.of("../a"));
		Files.createDirectories(local.resolve("e"));
		Files.createDirectories(local.resolve("f"));
		Files.createSymbolicLink(local.resolve("e/tof"), Path.of("../f"));
		Files.createSymbolicLink(local.resolve("f/toe"), Path.of("../e")); // a cycle that holds nothing
		assertThat(paths(storage.list("", RECURSIVE))).containsExactly("a/tob/y", "a/x", "b/toa/x", "b/y");
		assertThat(paths(storage.list(""))).containsExactly("a/", "b/");
		assertThat(paths(storage.list("a/"))).containsExactly("a/tob/", "a/x");
		assertThat(paths(storage.list("a/tob/", RECURSIVE))).containsExactly("a/tob/y");
		assertThat(paths(storage.list("e/", RECURSIVE))).isEmpty();
		assertThat(paths(storage.list("e/"))).isEmpty();
	}

	private static ObjectStorage storage(SftpBackend backend) {
		return ObjectStorage.builder().name("sftp-links").backend(backend).build();
	}

	private static void write(ObjectStorage storage, String path, String text) {
		storage.write(path, text.getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
	}

	private static List<String> paths(Flux<ObjectEntry> entries) {
		return entries.map(ObjectEntry::path).collectList().block(TIMEOUT);
	}

}
