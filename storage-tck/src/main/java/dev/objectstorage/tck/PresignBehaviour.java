package dev.objectstorage.tck;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.objectstorage.ErrorKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.objectstorage.tck.StorageTck.assertKind;
import static dev.objectstorage.tck.StorageTck.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Presigned URLs, used with a plain HTTP client.
 */
public interface PresignBehaviour extends StorageTck {

	@Test
	@DisplayName("a presigned read URL serves the object to a plain HTTP GET")
	default void presignRead() throws Exception {
		assumeTrue(storage().capabilities().presignRead());
		byte[] data = randomBytes(10_000, 1);
		write("presign/read.bin", data);
		URI uri = storage().presignRead("presign/read.bin", Duration.ofMinutes(5)).block(TIMEOUT);
		HttpResponse<byte[]> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(data);
	}

	@Test
	@DisplayName("a presigned write URL stores what a plain HTTP PUT sends")
	default void presignWrite() throws Exception {
		assumeTrue(storage().capabilities().presignWrite());
		byte[] data = randomBytes(10_000, 2);
		URI uri = storage().presignWrite("presign/write.bin", Duration.ofMinutes(5)).block(TIMEOUT);
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
		assertThat(read("presign/write.bin")).isEqualTo(data);
	}

	@Test
	@DisplayName("presign fails with UNSUPPORTED where the backend cannot presign, and rejects a non-positive expiry")
	default void presignUnsupportedOrInvalid() {
		assertKind(ErrorKind.INVALID_INPUT,
				() -> storage().presignRead("presign/x", Duration.ZERO).block(TIMEOUT));
		assertKind(ErrorKind.INVALID_INPUT,
				() -> storage().presignWrite("presign/x", Duration.ofSeconds(-1)).block(TIMEOUT));
		if (!storage().capabilities().presignRead()) {
			assertKind(ErrorKind.UNSUPPORTED,
					() -> storage().presignRead("presign/x", Duration.ofMinutes(1)).block(TIMEOUT));
		}
		if (!storage().capabilities().presignWrite()) {
			assertKind(ErrorKind.UNSUPPORTED,
					() -> storage().presignWrite("presign/x", Duration.ofMinutes(1)).block(TIMEOUT));
		}
	}

}
