package dev.objectstorage.sample;

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

	public DataSize getMaxUploadSize() {
		return this.maxUploadSize;
	}

	public void setMaxUploadSize(DataSize maxUploadSize) {
		this.maxUploadSize = maxUploadSize;
	}

}
