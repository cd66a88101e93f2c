package dev.objectstorage.sftp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * Throwaway keys for the test servers: ECDSA P-256 (the JDK makes and reads them without extra
 * providers), written in OpenSSH's formats.
 */
public final class TestKeys {

	private TestKeys() {
	}

	/** A new ECDSA P-256 key pair. */
	public static KeyPair generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The private key in OpenSSH's format, unencrypted. */
	public static String privateKeyText(KeyPair pair) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "objectstorage-test", null, out);
			return out.toString(StandardCharsets.US_ASCII);
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The public key as an {@code authorized_keys} / {@code known_hosts} entry ({@code type base64}). */
	public static String publicKeyEntry(PublicKey key) {
		return PublicKeyEntry.toString(key);
	}

	/** Writes a file readable by its owner only (what sshd requires of private keys). */
	public static Path writePrivate(Path file, String text) {
		try {
			Files.writeString(file, text, StandardCharsets.US_ASCII);
			try {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ex) {
				// not a POSIX file system: nothing to restrict
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A {@code known_hosts} line for a server on 127.0.0.1 with the given port and host key. */
	public static String knownHostsLine(int port, PublicKey hostKey) {
		return "[127.0.0.1]:" + port + " " + publicKeyEntry(hostKey) + "\n";
	}

}
