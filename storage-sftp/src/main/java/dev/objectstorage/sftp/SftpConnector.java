package dev.objectstorage.sftp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.UnaryOperator;

import dev.objectstorage.ErrorKind;
import dev.objectstorage.StorageException;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.SftpVersionSelector;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolAcquireTimeoutException;
import reactor.pool.PoolBuilder;

/**
 * Owns the SSH side of a backend: its SSH connections ({@link SftpSessions}, which also check the
 * server's host key and log in), the bounded pool of SFTP channels over them, the root directory
 * ({@link SftpRoot}, resolved over the first channel), and the scheduler on which every blocking
 * SFTP call runs.
 * <ul>
 * <li>The pool holds at most {@link SftpSettings#maxChannels()} channels; borrowers beyond that
 * wait in the pool's queue without blocking a thread (Reactor Pool), for at most
 * {@link SftpSettings#acquireTimeout()}. Channels are opened when
 * needed, on the scheduler, and at most {@link SftpSettings#channelsPerSession()} share one
 * connection. A channel whose connection closed is discarded when it is next borrowed or returned.</li>
 * <li>The server's host key is checked against a {@code known_hosts} file (unless the settings
 * explicitly accept any key); a rejected key and a failed login become clear configuration and
 * permission errors.</li>
 * <li>SFTP version 3 is used with every server, the only version OpenSSH speaks, so that the
 * backend behaves the same everywhere; OpenSSH's extensions fill the gaps.</li>
 * <li>No network I/O runs while a monitor is held, and channels are closed on the
 * scheduler: a caller's thread (maybe an event loop) that borrows or returns a channel never
 * waits for a connection being opened or closed.</li>
 * </ul>
 */
final class SftpConnector implements AutoCloseable {

	private final SftpSettings settings;

	private final SftpSessions sessions;

	private final SftpRoot root;

	private final Scheduler scheduler;

	private final InstrumentedPool<Channel> pool;

	private final UnaryOperator<SftpClient> decorator;

	SftpConnector(SftpSettings settings, UnaryOperator<SftpClient> decorator) {
		this.settings = settings;
		this.decorator = decorator;
		this.sessions = new SftpSessions(settings);
		this.root = new SftpRoot(settings, this.sessions.target());
		// one thread per channel (each blocks in one SFTP call at a time), plus room for opening channels
		this.scheduler = Schedulers.newBoundedElastic(settings.maxChannels() + 2, Integer.MAX_VALUE,
				"sftp-" + settings.host(), 60, true);
		this.pool = PoolBuilder.from(Mono.fromCallable(this::openChannel).subscribeOn(this.scheduler))
			.sizeBetween(0, settings.maxChannels())
			.maxPendingAcquireUnbounded()
			.evictionPredicate((channel, metadata) -> !channel.isOpen())
			// the pool destroys a channel on the thread that borrows or returns it: hand the closing
			// to the scheduler so that a caller's thread never does it (inline once the scheduler is gone)
			.destroyHandler((channel) -> Mono.<Void>fromRunnable(channel::close)
				.subscribeOn(this.scheduler)
				.onErrorResume(RejectedExecutionException.class, (ex) -> Mono.<Void>fromRunnable(channel::close)))
			.buildPool();
	}

	/**
	 * Borrows a channel, waiting (without blocking) while all are in use, for at most
	 * {@link SftpSettings#acquireTimeout()}: an operation that holds a channel while it waits for
	 * another operation of this backend (a write whose content is a read of it) would otherwise wait
	 * forever once all channels are taken.
	 * @return the lease; whoever subscribes releases it; a {@link StorageException} of kind
	 * {@link ErrorKind#TIMEOUT} if no channel became free in time
	 */
	Mono<Lease> acquire() {
		return Lease.handedOverOnce(this.pool.acquire(this.settings.acquireTimeout()))
			.onErrorMap(PoolAcquireTimeoutException.class, this::allChannelsBusy)
			.map((ref) -> new Lease(ref, this.scheduler.createWorker()));
	}

	private StorageException allChannelsBusy(PoolAcquireTimeoutException ex) {
		int max = this.settings.maxChannels();
		return new StorageException(ErrorKind.TIMEOUT, "All " + max + " SFTP channels to " + target()
				+ " were busy for " + this.settings.acquireTimeout() + " (acquireTimeout): raise maxChannels (" + max
				+ "), or do not consume a read of this backend inside one of its operations (a write whose content"
				+ " is a read of the same backend holds a channel while the read waits for one)", null, null, null,
				true, ex);
	}

	/** The scheduler of the blocking SFTP calls. */
	Scheduler scheduler() {
		return this.scheduler;
	}

	/** How many channels are open (borrowed or idle). */
	int openChannels() {
		return this.pool.metrics().allocatedSize();
	}

	private String target() {
		return this.sessions.target();
	}

	// ---------------------------------------------------------------- opening channels (blocking)

	private Channel openChannel() throws IOException {
		SftpSessions.Slot slot = this.sessions.slotForNewChannel();
		SftpClient sftp = null;
		try {
			sftp = this.decorator.apply(
					SftpClientFactory.instance().createSftpClient(slot.session, SftpVersionSelector.fixedVersionSelector(3)));
			Channel channel = new Channel(sftp, slot, this);
			if (!this.root.isResolved()) {
				this.root.resolve(sftp);
			}
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			if (sftp != null) {
				closeQuietly(sftp);
			}
			channelClosed(slot);
			throw ex;
		}
	}

	void channelClosed(SftpSessions.Slot slot) {
		this.sessions.channelClosed(slot);
	}

	/**
	 * The absolute root directory on the server, known once a channel was opened.
	 * @return the root
	 */
	String root() {
		return this.root.get();
	}

	private static void closeQuietly(SftpClient sftp) {
		try {
			sftp.close();
		}
		catch (IOException | RuntimeException ex) {
			// closing a channel that failed to open: nothing to save
		}
	}

	/**
	 * Closes the connections and stops the scheduler. SFTP calls in flight fail (their connection
	 * is gone) and the tasks queued behind them still run, so that every operation in progress ends
	 * with an error and its clean-up runs instead of being dropped; new tasks are refused.
	 */
	@Override
	public void close() {
		List<SftpSessions.Slot> open = this.sessions.refuseNew();
		if (open == null) {
			return;
		}
		this.pool.disposeLater().subscribe(null, (ex) -> {
		});
		this.sessions.stop(open);
		// graceful: queued tasks run (and fail fast) rather than vanish with their subscribers waiting;
		// forced after a while in case a call does not notice the closed connection
		this.scheduler.disposeGracefully()
			.timeout(java.time.Duration.ofSeconds(10))
			.onErrorResume((ex) -> Mono.fromRunnable(this.scheduler::dispose))
			.subscribe();
	}

	/** A pooled SFTP channel. */
	static final class Channel {

		/** The smallest answer to a read request taken as the server's limit (the SFTP drafts ask for 32 KiB and more). */
		static final int MIN_READ_LIMIT = 32 * 1024;

		final SftpClient sftp;

		private final SftpSessions.Slot slot;

		private final SftpConnector connector;

		private final @Nullable HardLinkExtension hardLink;

		private final boolean posixRename;

		private boolean closed;

		/**
		 * The largest read request the server answered whole (0 before the first): requests up to
		 * it can be sent a window at a time. Volatile: the channel's borrowers run on different threads.
		 */
		private volatile int readWhole;

		/** What the server answered to a read request it cut short, taken as its limit (0 while none was). */
		private volatile int readLimit;

		Channel(SftpClient sftp, SftpSessions.Slot slot, SftpConnector connector) {
			this.sftp = sftp;
			this.slot = slot;
			this.connector = connector;
			HardLinkExtension link = (sftp instanceof RawSftpClient)
					? new HardLinkExtension(sftp) : null;
			this.hardLink = (link != null && link.isSupported()) ? link : null;
			this.posixRename = sftp.getExtension(
					org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension.class).isSupported();
		}

		boolean isOpen() {
			return !this.closed && this.sftp.isOpen() && this.slot.session.isOpen();
		}

		@Nullable HardLinkExtension hardLink() {
			return this.hardLink;
		}

		boolean hasPosixRename() {
			return this.posixRename;
		}

		/** The client's raw requests, which reads and writes use to keep several in flight. */
		RawSftpClient raw() {
			if (this.sftp instanceof RawSftpClient raw) {
				return raw;
			}
			throw new IllegalStateException("The SFTP client must implement RawSftpClient: " + this.sftp.getClass());
		}

		/** The server's limit per read request, as far as known, or 0. */
		int readLimit() {
			return this.readLimit;
		}

		/** Whether the server is known to answer read requests of this size whole. */
		boolean answersWhole(int size) {
			return size <= this.readWhole;
		}

		/**
		 * Notes how much the server answered to a read request (not at the end of the file). An
		 * answer below {@link #MIN_READ_LIMIT} is not taken as the server's limit: more likely the file
		 * shrank, and a small limit would slow every later read on this channel.
		 */
		void readAnswered(int requested, int got) {
			if (got >= requested) {
				if (requested > this.readWhole) {
					this.readWhole = requested;
				}
			}
			else if (got >= MIN_READ_LIMIT) {
				int limit = this.readLimit;
				this.readLimit = (limit == 0) ? got : Math.min(limit, got);
				if (got > this.readWhole) {
					this.readWhole = got;
				}
			}
		}

		String root() {
			return this.connector.root();
		}

		void close() {
			synchronized (this) {
				if (this.closed) {
					return;
				}
				this.closed = true;
			}
			closeQuietly(this.sftp);
			this.connector.channelClosed(this.slot);
		}

	}

}
