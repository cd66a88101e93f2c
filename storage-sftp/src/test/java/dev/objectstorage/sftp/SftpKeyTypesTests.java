package dev.objectstorage.sftp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.objectstorage.ObjectStorage;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Ed25519, the key type {@code ssh-keygen} creates by default, logs in (MINA SSHD needs Bouncy
 * Castle for it, which the module brings): a key given as text, and a key file written by OpenSSH's
 * own {@code ssh-keygen}, with and without a passphrase.
 */
class SftpKeyTypesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	Path temp;

	private static void roundTrip(SftpSettings settings) {
		try (ObjectStorage storage = ObjectStorage.builder().name("keys").backend(new SftpBackend(settings)).build()) {
			storage.write("k.txt", "signed with ed25519".getBytes(StandardCharsets.UTF_8)).block(TIMEOUT);
			assertThat(new String(storage.readAllBytes("k.txt").block(TIMEOUT), StandardCharsets.UTF_8))
				.isEqualTo("signed with ed25519");
			storage.delete("k.txt").block(TIMEOUT);
		}
	}

	@Test
	void anEd25519KeyInOpenSshTextLogsIn() throws Exception {
		EmbeddedSftpServer server = EmbeddedSftpServer.get();
		KeyPair pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
		server.authorize(pair.getPublic());
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "ed25519-test", null, text);
		roundTrip(server.settingsBuilder("/keys-" + System.nanoTime())
			.privateKey(text.toString(StandardCharsets.UTF_8))
			.build());
	}

	@Test
	void keyFilesWrittenBySshKeygenLogIn() throws Exception {
		Path sshKeygen = Path.of("/usr/bin/ssh-keygen");
		assumeTrue(Files.isExecutable(sshKeygen), "ssh-keygen (openssh-client) is not installed");
		EmbeddedSftpServer server = EmbeddedSftpServer.get();
		for (String passphrase : List.of("", "throwaway passphrase")) {
			Path key = this.temp.resolve("id_ed25519_" + passphrase.length());
			Process keygen = new ProcessBuilder(sshKeygen.toString(), "-q", "-t", "ed25519", "-N", passphrase, "-C",
					"objectstorage-test", "-f", key.toString())
				.redirectErrorStream(true)
				.start();
			assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(keygen.exitValue()).as(new String(keygen.getInputStream().readAllBytes())).isZero();
			PublicKey publicKey = AuthorizedKeyEntry
				.readAuthorizedKeys(Path.of(key + ".pub"))
				.get(0)
				.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
			server.authorize(publicKey);
			roundTrip(server.settingsBuilder("/keys-" + System.nanoTime())
				.privateKey(null)
				.privateKeyPath(key)
				.privateKeyPassphrase(passphrase.isEmpty() ? null : passphrase)
				.build());
		}
	}

}
