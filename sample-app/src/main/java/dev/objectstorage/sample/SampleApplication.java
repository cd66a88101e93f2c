package dev.objectstorage.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A file service on object storage: upload, download (with HTTP Range and ETags), list and delete
 * over HTTP, and a small web page at {@code /}. The storage comes from {@code application.yml}: a
 * directory ({@code ./data}) by default, an S3-compatible service with the {@code s3} profile.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
