package dev.objectstorage.layer;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import dev.objectstorage.ListOptions;
import dev.objectstorage.ObjectContent;
import dev.objectstorage.ObjectEntry;
import dev.objectstorage.ObjectMetadata;
import dev.objectstorage.Operation;
import dev.objectstorage.ReadOptions;
import dev.objectstorage.WriteOptions;
import dev.objectstorage.spi.Contents;
import dev.objectstorage.spi.StorageBackend;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.util.context.Context;
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

	private <T> Tracker<T> start(Operation operation, @Nullable String path, ContextView context, boolean single) {
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
		return new Tracker<>(observation, observationContext, single);
	}

	/**
	 * One observation, stopped once, however its operation ends; as the hooks of a single-result
	 * operation or a listing it ends with its subscription, and it puts the observation into the
	 * context upstream sees, so that the backend's own observations (HTTP clients) are its children.
	 */
	private static final class Tracker<T> implements Hooked.Hooks<T> {

		@SuppressWarnings("rawtypes")
		private static final AtomicIntegerFieldUpdater<Tracker> ENDED = AtomicIntegerFieldUpdater
			.newUpdater(Tracker.class, "ended");

		private final Observation observation;

		private final StorageObservationContext context;

		private final boolean single;

		private volatile int ended;

		Tracker(Observation observation, StorageObservationContext context, boolean single) {
			this.observation = observation;
			this.context = context;
			this.single = single;
		}

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
			if (!ENDED.compareAndSet(this, 0, 1)) {
				return;
			}
			if (signal == SignalType.ON_ERROR) {
				this.context.setOutcome(StorageObservationContext.Outcome.ERROR);
				this.observation.error(error);
			}
			else if (signal == SignalType.CANCEL) {
				this.context.setOutcome(StorageObservationContext.Outcome.CANCELLED);
			}
			else {
				this.context.setOutcome(StorageObservationContext.Outcome.SUCCESS);
			}
			this.observation.stop();
		}

		@Override
		public Context context(Context downstream) {
			return downstream.put(OBSERVATION_KEY, this.observation);
		}

	}

	/** The hooks of an open: the content it gives carries the read's observation on to its body. */
	private static final class Opening implements Hooked.Hooks<ObjectContent> {

		private final Tracker<DataBuffer> tracker;

		private volatile boolean delivered;

		Opening(Tracker<DataBuffer> tracker) {
			this.tracker = tracker;
		}

		@Override
		public ObjectContent next(ObjectContent content) {
			this.delivered = true;
			return new ObservedContent(content, this.tracker);
		}

		@Override
		public void ended(SignalType signal, @Nullable Throwable error) {
			if (signal == SignalType.ON_ERROR || (signal == SignalType.CANCEL && !this.delivered)) {
				this.tracker.end(signal, error);
			}
		}

		@Override
		public Context context(Context downstream) {
			return this.tracker.context(downstream);
		}

	}

	private static final class ObservedContent extends ForwardingContent {

		private final Tracker<DataBuffer> tracker;

		ObservedContent(ObjectContent delegate, Tracker<DataBuffer> tracker) {
			super(delegate);
			this.tracker = tracker;
		}

		@Override
		protected Flux<DataBuffer> body(Flux<DataBuffer> body) {
			return Hooked.flux(body, () -> this.tracker);
		}

		@Override
		protected Mono<Void> transfer(FileSender sender) {
			return Hooked.mono(this.delegate.transferTo(sender), () -> new Hooked.Hooks<Void>() {
				@Override
				public void ended(SignalType signal, @Nullable Throwable error) {
					if (error != null && Contents.senderFailure(error) != null) {
						// the receiving side went away: cancelled, as a body whose subscriber cancels
						ObservedContent.this.tracker.end(SignalType.CANCEL, null);
					}
					else {
						ObservedContent.this.tracker.end(signal, error);
					}
				}
			});
		}

		@Override
		protected void released() {
			this.tracker.end(SignalType.CANCEL, null);
		}

	}

	private final class Observed extends ForwardingBackend {

		Observed(StorageBackend delegate) {
			super(delegate);
		}

		private <T> Mono<T> observe(Operation operation, @Nullable String path, Mono<T> mono) {
			return Hooked.monoContextual(mono, (context) -> start(operation, path, context, true));
		}

		@Override
		public Mono<ObjectContent> open(String path, ReadOptions options) {
			return Hooked.monoContextual(super.open(path, options),
					(context) -> new Opening(start(Operation.READ, path, context, false)));
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
			return Hooked.fluxContextual(super.list(prefix, options),
					(context) -> start(Operation.LIST, prefix, context, false));
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
