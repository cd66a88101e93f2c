package dev.objectstorage.layer;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.StorageBackend;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * Makes every operation a Micrometer {@link Observation} named
 * {@value StorageObservationConvention#NAME}, so that a tracer turns each into a span that joins
 * the caller's trace (Spring Boot's tracing auto-configuration does, with Brave or OpenTelemetry).
 * The parent is the observation in the subscriber's Reactor context (where Spring WebFlux and
 * WebClient put theirs), or else the one current on the subscribing thread (Spring MVC). The
 * operation's own observation is put into the context of what it calls, so that instrumented
 * clients underneath nest inside it.
 * <p>
 * Like the {@link MetricsLayer}, a read is one observation from {@code open} to the end of its body
 * or transfer; a content released unread ends it as cancelled. Keys: see
 * {@link StorageObservationConvention}. Put it outermost, so that its span covers retries and the
 * time spent waiting for a permit. Needs micrometer-observation (with Reactor's context-propagation
 * for the thread-local fallback).
 */
public final class ObservationLayer implements Layer {

	/**
	 * Where Spring and Reactor keep the current observation in a Reactor context: the value of
	 * {@code ObservationThreadLocalAccessor.KEY}, spelled out so that context-propagation need not be
	 * on the class path.
	 */
	static final String OBSERVATION_KEY = "micrometer.observation";

	private final ObservationRegistry registry;

	private final String storage;

	private final boolean includePath;

	private final StorageObservationConvention convention;

	/**
	 * Observes a storage's operations with the default keys, without paths.
	 * @param registry where observations go
	 * @param storage the storage's name
	 */
	public ObservationLayer(ObservationRegistry registry, String storage) {
		this(registry, storage, false, null);
	}

	/**
	 * Observes a storage's operations.
	 * @param registry where observations go
	 * @param storage the storage's name
	 * @param includePath whether to add the object's path as a high-cardinality key (span attribute;
	 * never a metric tag)
	 * @param convention the keys and names to use, or {@code null} for
	 * {@link StorageObservationConvention#DEFAULT}
	 */
	public ObservationLayer(ObservationRegistry registry, String storage, boolean includePath,
			@Nullable StorageObservationConvention convention) {
		this.registry = registry;
		this.storage = storage;
		this.includePath = includePath;
		this.convention = (convention != null) ? convention : StorageObservationConvention.DEFAULT;
	}

	@Override
	public StorageBackend apply(StorageBackend backend) {
		return new Observed(backend);
	}

	private Tracker start(Operation operation, @Nullable String path, ContextView context) {
		StorageObservationContext observationContext = new StorageObservationContext(this.storage, operation,
				this.includePath ? path : null);
		Observation parent = context.getOrDefault(OBSERVATION_KEY, null);
		if (parent == null) {
			parent = this.registry.getCurrentObservation();
		}
		Observation observation = Observation
			.createNotStarted(this.convention, StorageObservationConvention.DEFAULT, () -> observationContext,
					this.registry)
			.parentObservation(parent)
			.start();
		return new Tracker(observation, observationContext);
	}

	/** One observation, stopped once, however its operation ends. */
	private static final class Tracker {

		private final Observation observation;

		private final StorageObservationContext context;

		private final AtomicBoolean ended = new AtomicBoolean();

		Tracker(Observation observation, StorageObservationContext context) {
			this.observation = observation;
			this.context = context;
		}

		void complete() {
			if (this.ended.compareAndSet(false, true)) {
				this.context.setOutcome(StorageObservationContext.Outcome.SUCCESS);
				this.observation.stop();
			}
		}

		void error(Throwable ex) {
			if (this.ended.compareAndSet(false, true)) {
				this.context.setOutcome(StorageObservationContext.Outcome.ERROR);
				this.observation.error(ex);
				this.observation.stop();
			}
		}

		void cancel() {
			if (this.ended.compareAndSet(false, true)) {
				this.context.setOutcome(StorageObservationContext.Outcome.CANCELLED);
				this.observation.stop();
			}
		}

		reactor.util.context.Context putInto(reactor.util.context.Context context) {
			return context.put(OBSERVATION_KEY, this.observation);
		}

	}

	private static final class ObservedContent extends ForwardingContent {

		private final Tracker tracker;

		ObservedContent(ObjectContent delegate, Tracker tracker) {
			super(delegate);
			this.tracker = tracker;
		}

		@Override
		protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
			return body.doOnComplete(this.tracker::complete)
				.doOnError(this.tracker::error)
				.doOnCancel(this.tracker::cancel)
				.contextWrite(this.tracker::putInto);
		}

		@Override
		protected Mono<Void> transfer(FileSender sender) {
			return this.delegate.transferTo(sender)
				.doOnSuccess((done) -> this.tracker.complete())
				.doOnError(this.tracker::error)
				.doOnCancel(this.tracker::cancel);
		}

		@Override
		protected void released() {
			this.tracker.cancel();
		}

	}

	private final class Observed extends ForwardingBackend {

		Observed(StorageBackend delegate) {
			super(delegate);
		}

		private <T> Mono<T> observe(Operation operation, @Nullable String path, Mono<T> mono) {
			return Mono.deferContextual((context) -> {
				Tracker tracker = start(operation, path, context);
				return mono.doOnSuccess((value) -> tracker.complete())
					.doOnError(tracker::error)
					.doOnCancel(tracker::cancel)
					.contextWrite(tracker::putInto);
			});
		}

		private <T> Flux<T> observeMany(Operation operation, @Nullable String path, Function<Tracker, Flux<T>> flux) {
			return Flux.deferContextual((context) -> {
				Tracker tracker = start(operation, path, context);
				return flux.apply(tracker)
					.doOnComplete(tracker::complete)
					.doOnError(tracker::error)
					.doOnCancel(tracker::cancel)
					.contextWrite(tracker::putInto);
			});
		}

		@Override
		public Mono<ObjectContent> open(String path, ReadOptions options) {
			return Mono.deferContextual((context) -> {
				Tracker tracker = start(Operation.READ, path, context);
				AtomicBoolean delivered = new AtomicBoolean();
				return super.open(path, options).<ObjectContent>map((content) -> {
					delivered.set(true);
					return new ObservedContent(content, tracker);
				}).doOnError(tracker::error).doOnCancel(() -> {
					if (!delivered.get()) {
						tracker.cancel();
					}
				}).contextWrite(tracker::putInto);
			});
		}

		@Override
		public Mono<ObjectMetadata> write(String path, Flux<DataBuffer> content, WriteOptions options) {
			return observe(Operation.WRITE, path, super.write(path, content, options));
		}

		@Override
		public Mono<ObjectMetadata> stat(String path) {
			return observe(Operation.STAT, path, super.stat(path));
		}

		@Override
		public Mono<Void> delete(String path) {
			return observe(Operation.DELETE, path, super.delete(path));
		}

		@Override
		public Mono<Void> deleteAll(Flux<String> paths) {
			return observe(Operation.DELETE_ALL, null, super.deleteAll(paths));
		}

		@Override
		public Flux<ObjectEntry> list(String prefix, ListOptions options) {
			return observeMany(Operation.LIST, prefix, (tracker) -> super.list(prefix, options));
		}

		@Override
		public Mono<Void> copy(String source, String target) {
			return observe(Operation.COPY, source, super.copy(source, target));
		}

		@Override
		public Mono<Void> rename(String source, String target) {
			return observe(Operation.RENAME, source, super.rename(source, target));
		}

		@Override
		public Mono<URI> presignRead(String path, Duration expiresIn) {
			return observe(Operation.PRESIGN_READ, path, super.presignRead(path, expiresIn));
		}

		@Override
		public Mono<URI> presignWrite(String path, Duration expiresIn) {
			return observe(Operation.PRESIGN_WRITE, path, super.presignWrite(path, expiresIn));
		}

	}

}
