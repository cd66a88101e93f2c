package dev.objectstorage.autoconfigure.sftp;

import dev.objectstorage.autoconfigure.StorageBackendType;
import dev.objectstorage.autoconfigure.StorageBackendTypes;
import dev.objectstorage.sftp.SftpBackend;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code sftp} type: a directory on an SFTP server. Declares its
 * {@link SftpStorageBackendFactory} bean when storage-sftp is on the class path; registered in
 * {@link StorageBackendTypes#ALL}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(SftpBackend.class)
public final class SftpBackendConfiguration {

	/** The {@code sftp} type. */
	public static final StorageBackendType TYPE = new StorageBackendType("sftp", "SFTP",
			"A directory on an SFTP server (storage.sftp.*); needs storage-sftp.", "storage-sftp", "host",
			SftpStorageProperties.class, SftpBackendConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	SftpStorageBackendFactory sftpStorageBackendFactory() {
		return new SftpStorageBackendFactory();
	}

}
