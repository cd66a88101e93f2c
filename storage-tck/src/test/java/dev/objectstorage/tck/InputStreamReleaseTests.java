package dev.objectstorage.tck;

import java.io.InputStream;
import java.time.Duration;

import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectStorage;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.layer.ForwardingBackend;
import dev.objectstorage.layer.ForwardingContent;
import dev.objectstorage.memory.MemoryBackend;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code openInputStream} joins small buffers before the reader sees them: buffers it holds while
 * joining are released when the stream is closed. A backend that answers synchronously (memory, fs)
 * always stops at the end of a joined buffer, so this read delivers a few small buffers and then
 * nothing, as a slow network would.
 */
class InputStreamReleaseTests {

	@Test
	void closingReleasesBuffersBeingJoined() throws Exception {
		LeakTrackingBufferFactory buffers = new LeakTrackingBufferFactory();
		ObjectStorage storage = ObjectStorage.builder()
			.backend(new MemoryBackend(buffers))
			.layer((backend) -> new ForwardingBackend(backend) {
				@Override
				public Mono<ObjectContent> open(String path, ReadOptions options) {
					return super.open(path, options).map((content) -> new ForwardingContent(content) {
						@Override
						protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
							return body.take(3).concatWith(Flux.never());
						}
					});
				}
			})
			.build();
		storage.write("slow.bin", Flux.just(buffers.wrap(new byte[1024 * 1024]))).block();
		buffers.assertAllReleased(Duration.ZERO);
		InputStream in = storage.openInputStream("slow.bin", ReadOptions.defaults().withBufferSize(1000));
		// the stream subscribes at once: 3 buffers of 1000 bytes wait to be joined
		assertThat(buffers.unreleased()).isEqualTo(3);
		in.close();
		buffers.assertAllReleased(Duration.ofSeconds(10));
		storage.close();
	}

}
