package dev.objectstorage.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the sample application.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	/**
	 * Largest accepted upload; larger ones are refused with 413 and nothing is stored.
	 */
	private DataSize maxUploadSize = DataSize.ofGigabytes(1);

	/**
	 * Host names the app answers to besides the loopback ones (localhost, 127.0.0.1, [::1]); requests
	 * for any other host get 421.
	 */
	private List<String> allowedHosts = new ArrayList<>();

	/**
	 * How long a connection may take to send a request's headers, after it connects or after the
	 * previous response; slower ones are closed.
	 */
	private Duration headerTimeout = Duration.ofSeconds(10);

	/**
	 * Most connections open at once; beyond that, the oldest connection still waiting for a
	 * request's headers is closed to make room.
	 */
	private int maxConnections = 10_000;

	public Duration getHeaderTimeout() {
		return this.headerTimeout;
	}

	public void setHeaderTimeout(Duration headerTimeout) {
		this.headerTimeout = headerTimeout;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public List<String> getAllowedHosts() {
		return this.allowedHosts;
	}

	public void setAllowedHosts(List<String> allowedHosts) {
		this.allowedHosts = allowedHosts;
	}

	public DataSize getMaxUploadSize() {
		return this.maxUploadSize;
	}

	public void setMaxUploadSize(DataSize maxUploadSize) {
		this.maxUploadSize = maxUploadSize;
	}

}
