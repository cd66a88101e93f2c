package dev.objectstorage.layer;

import java.util.concurrent.TimeUnit;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.Operation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MicrometerMetricsRecorderTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final MicrometerMetricsRecorder recorder = new MicrometerMetricsRecorder(this.registry, "photos");

	@Test
	void operationsAreATimerInSeconds() {
		this.recorder.operation(Operation.WRITE, "success", TimeUnit.MILLISECONDS.toNanos(1500));
		Timer timer = this.registry.get("storage.operations")
			.tags("storage", "photos", "operation", "write", "outcome", "success")
			.timer();
		assertThat(timer.count()).isEqualTo(1);
		assertThat(timer.totalTime(TimeUnit.SECONDS)).isEqualTo(1.5);
		assertThat(timer.getId().getBaseUnit()).isEqualTo("seconds");
	}

	@Test
	void bytesAreACounterInBytes() {
		this.recorder.bytes(Operation.READ, 10);
		this.recorder.bytes(Operation.WRITE, 7);
		Counter read = this.registry.get("storage.bytes").tags("direction", "read", "operation", "read").counter();
		assertThat(read.count()).isEqualTo(10);
		assertThat(read.getId().getBaseUnit()).isEqualTo("bytes");
		assertThat(this.registry.get("storage.bytes").tags("direction", "write").counter().count()).isEqualTo(7);
	}

	@Test
	void tagValuesAreLowerCaseWithoutDotsOrUnderscores() {
		this.recorder.operation(Operation.DELETE_ALL, MetricsLayer.outcome(ErrorKind.CONDITION_NOT_MATCH), 1);
		this.recorder.operation(Operation.PRESIGN_READ, "cancelled", 1);
		this.recorder.retry(Operation.STAT, ErrorKind.RATE_LIMITED);
		assertThat(this.registry.get("storage.operations").tags("operation", "delete-all", "outcome",
				"condition-not-match").timer().count()).isEqualTo(1);
		assertThat(this.registry.get("storage.operations").tags("operation", "presign-read").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get("storage.retries").tags("operation", "stat", "kind", "rate-limited").counter()
			.count()).isEqualTo(1);
		for (Meter meter : this.registry.getMeters()) {
			assertThat(meter.getId().getName()).matches("[a-z]+(\\.[a-z]+)*");
			for (Tag tag : meter.getId().getTags()) {
				assertThat(tag.getKey()).matches("[a-z]+");
				if (!tag.getKey().equals("storage")) {
					assertThat(tag.getValue()).as(tag.toString()).matches("[a-z]+(-[a-z]+)*");
				}
			}
		}
	}

	@Test
	void tagValueTurnsIdsAndKindsIntoWordsJoinedByHyphens() {
		assertThat(MicrometerMetricsRecorder.tagValue("deleteAll")).isEqualTo("delete-all");
		assertThat(MicrometerMetricsRecorder.tagValue("NOT_FOUND")).isEqualTo("not-found");
		assertThat(MicrometerMetricsRecorder.tagValue("not_found")).isEqualTo("not-found");
		assertThat(MicrometerMetricsRecorder.tagValue("success")).isEqualTo("success");
	}

}
