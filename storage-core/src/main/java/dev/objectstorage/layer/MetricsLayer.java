package dev.objectstorage.layer;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.StorageException;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.Contents;
import dev.objectstorage.spi.StorageBackend;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Measures every operation: how many ended and how (success, error by kind, cancelled), how long
 * they took, and how many bytes went through reads and writes. The figures are kept here (exact
 * counts, throughput over the last minute and since start, latency percentiles: see
 * {@link #metrics()}) and handed to {@link MetricsRecorder}s, such as the
 * {@link MicrometerMetricsRecorder}. The Actuator endpoint {@code storage} shows them.
 * <p>
 * Put it outermost, so that it measures what the application sees (retries included).
 */
public final class MetricsLayer implements Layer {

	private final Map<Operation, OperationMetrics> operations = new EnumMap<>(Operation.class);

	private final List<MetricsRecorder> recorders;

	private final MetricsHistory history = new MetricsHistory();

	public MetricsLayer(MetricsRecorder... recorders) {
		for (Operation operation : Operation.values()) {
			this.operations.put(operation, new OperationMetrics(operation));
		}
		this.recorders = List.of(recorders);
	}

	/**
	 * The live figures of one operation.
	 * @param operation the operation
	 * @return its metrics
	 */
	public OperationMetrics metrics(Operation operation) {
		return this.operations.get(operation);
	}

	/**
	 * A snapshot of every operation's figures.
	 * @return one snapshot per operation, in {@link Operation} order
	 */
	public List<OperationMetrics.Snapshot> metrics() {
		List<OperationMetrics.Snapshot> snapshots = new ArrayList<>();
		for (OperationMetrics metrics : this.operations.values()) {
			snapshots.add(metrics.snapshot());
		}
		return snapshots;
	}

	/**
	 * The storage's recent past, second by second: bytes read and written, operations and errors
	 * per second over the last {@value MetricsHistory#SECONDS} seconds, latency percentiles per
	 * {@value MetricsHistory#LATENCY_INTERVAL_SECONDS} seconds.
	 * @return a copy of the history
	 */
	public MetricsHistory.Snapshot history() {
		return this.history.snapshot();
	}

	@Override
	public StorageBackend apply(StorageBackend backend) {
		return new Measured(backend);
	}

	/**
	 * A listener for a {@link RetryLayer} inside this layer, so that retried attempts are counted
	 * (by error kind) next to the operations' outcomes.
	 * @return the listener
	 */
	public RetryLayer.RetryListener retryListener() {
		return (operation, error, attempt) -> {
			this.operations.get(operation).retried(error.kind());
			for (MetricsRecorder recorder : this.recorders) {
				recorder.retry(operation, error.kind());
			}
		};
	}

	static String outcome(ErrorKind kind) {
		return kind.name().toLowerCase(Locale.ROOT);
	}

	private void ended(Operation operation, long startNanos, SignalType signal, Throwable error) {
		long now = this.history.now();
		long nanos = now - startNanos;
		this.history.ended(nanos, error != null, now);
		OperationMetrics metrics = this.operations.get(operation);
		String outcome;
		if (error != null) {
			ErrorKind kind = (error instanceof StorageException se) ? se.kind() : ErrorKind.UNEXPECTED;
			metrics.error(kind, nanos);
			outcome = outcome(kind);
		}
		else if (signal == SignalType.CANCEL) {
			metrics.cancelled(nanos);
			outcome = "cancelled";
		}
		else {
			metrics.success(nanos);
			outcome = "success";
		}
		for (MetricsRecorder recorder : this.recorders) {
			recorder.operation(operation, outcome, nanos);
		}
	}

	private void transferred(Operation operation, long bytes) {
		long now = this.history.now();
		this.operations.get(operation).bytes(bytes, now);
		if (operation == Operation.READ) {
			this.history.read(bytes, now);
		}
		else {
			this.history.written(bytes, now);
		}
		for (MetricsRecorder recorder : this.recorders) {
			recorder.bytes(operation, bytes);
		}
	}

	/**
	 * Per operation: when it started and how it ended. As the hooks of a single-result operation or a
	 * listing it ends with its subscription; a read's tracker is handed from the open to the content.
	 */
	private final class Tracker<T> implements Hooked.Hooks<T> {

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<Tracker> ENDED = AtomicIntegerFieldUpdater
			.newUpdater(Tracker.class, "ended");

		private final Operation operation;

		private final boolean single;

		private final long start = MetricsLayer.this.history.now();

		private volatile int ended;

		Tracker(Operation operation, boolean single) {
			this.operation = operation;
			this.single = single;
		}

		// recorded before the signal travels on, so a caller that sees the result sees it counted

		@Override
		public T next(T value) {
			if (this.single) {
				end(SignalType.ON_COMPLETE, null);
			}
			return value;
		}

		@Override
		public void ended(SignalType signal, @Nullable Throwable error) {
			end(signal, error);
		}

		void end(SignalType signal, @Nullable Throwable error) {
			if (ENDED.compareAndSet(this, 0, 1)) {
				MetricsLayer.this.ended(this.operation, this.start, signal, error);
			}
		}

	}

	/** The hooks of an open: the content it gives carries the read's tracker on to its body. */
	private final class Opening implements Hooked.Hooks<ObjectContent> {

		private final Tracker<DataBuffer> tracker = new Tracker<>(Operation.READ, false);

		private volatile boolean delivered;

		@Override
		public ObjectContent next(ObjectContent content) {
			this.delivered = true;
			return new MeasuredContent(content, this.tracker);
		}

		@Override
		public void ended(SignalType signal, @Nullable Throwable error) {
			if (signal == SignalType.ON_ERROR || (signal == SignalType.CANCEL && !this.delivered)) {
				this.tracker.end(signal, error);
			}
		}

	}

	private final class MeasuredContent extends ForwardingContent implements Hooked.Hooks<DataBuffer> {

		private final Tracker<DataBuffer> tracker;

		MeasuredContent(ObjectContent delegate, Tracker<DataBuffer> tracker) {
			super(delegate);
			this.tracker = tracker;
		}

		@Override
		protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
			return Hooked.flux(body, () -> this);
		}

		@Override
		public DataBuffer next(DataBuffer buffer) {
			transferred(Operation.READ, buffer.readableByteCount());
			return buffer;
		}

		@Override
		public void ended(SignalType signal, @Nullable Throwable error) {
			this.tracker.end(signal, error);
		}

		@Override
		protected Mono<Void> transfer(FileSender sender) {
			return Hooked.mono(this.delegate.transferTo((file, position, count, sent) -> sender.send(file, position,
					count, (n) -> {
						transferred(Operation.READ, n);
						sent.accept(n);
					})), () -> new Hooked.Hooks<Void>() {
						@Override
						public void ended(SignalType signal, @Nullable Throwable error) {
							if (error != null && Contents.senderFailure(error) != null) {
								// the receiving side went away: cancelled, as a body whose subscriber cancels
								MeasuredContent.this.tracker.end(SignalType.CANCEL, null);
							}
							else {
								MeasuredContent.this.tracker.end(signal, error);
							}
						}
					});
		}

		@Override
		protected void released() {
			this.tracker.end(SignalType.CANCEL, null);
		}

	}

	private final class Measured extends ForwardingBackend {

		Measured(StorageBackend delegate) {
			super(delegate);
		}

		private <T> Mono<T> measure(Operation operation, Mono<T> mono) {
			return Hooked.mono(mono, () -> new Tracker<>(operation, true));
		}

		/**
		 * A read is one operation from {@code open} to the end of its body or transfer: its latency
		 * covers both, its bytes are counted as they are delivered (or, for a transfer, as the sender
		 * reports them), and a content released unread counts as cancelled.
		 */
		@Override
		public Mono<ObjectContent> open(String path, ReadOptions options) {
			return Hooked.mono(super.open(path, options), Opening::new);
		}

		@Override
		public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
			Flux<DataBuffer> counted = content
				.doOnNext((buffer) -> transferred(Operation.WRITE, buffer.readableByteCount()));
			return measure(Operation.WRITE, super.write(path, counted, options));
		}

		@Override
		public Mono<ObjectMetadata> stat(String path) {
			return measure(Operation.STAT, super.stat(path));
		}

		@Override
		public Mono<Void> delete(String path) {
			return measure(Operation.DELETE, super.delete(path));
		}

		@Override
		public Mono<Void> deleteAll(Flux<String> paths) {
			return measure(Operation.DELETE_ALL, super.deleteAll(paths));
		}

		@Override
		public Flux<ObjectEntry> list(String prefix, ListOptions options) {
			return Hooked.flux(super.list(prefix, options), () -> new Tracker<>(Operation.LIST, false));
		}

		@Override
		public Mono<Void> copy(String source, String target) {
			return measure(Operation.COPY, super.copy(source, target));
		}

		@Override
		public Mono<Void> rename(String source, String target) {
			return measure(Operation.RENAME, super.rename(source, target));
		}

		@Override
		public Mono<URI> presignRead(String path, Duration expiresIn) {
			return measure(Operation.PRESIGN_READ, super.presignRead(path, expiresIn));
		}

		@Override
		public Mono<URI> presignWrite(String path, Duration expiresIn) {
			return measure(Operation.PRESIGN_WRITE, super.presignWrite(path, expiresIn));
		}

	}

}
