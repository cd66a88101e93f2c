package dev.objectstorage.sample;

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
