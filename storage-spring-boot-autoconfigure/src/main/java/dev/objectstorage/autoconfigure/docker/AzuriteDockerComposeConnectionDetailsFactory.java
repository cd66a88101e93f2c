package dev.objectstorage.autoconfigure.docker;

import dev.objectstorage.autoconfigure.azblob.AzureBlobConnectionDetails;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

/**
 * Lets Spring Boot's Docker Compose support configure the {@code azblob} storages from an Azurite
 * service ({@code mcr.microsoft.com/azure-storage/azurite}): its blob port 10000 and the first
 * account of its {@code AZURITE_ACCOUNTS} environment ({@code name:key}), or Azurite's built-in
 * development account when unset (whose key Microsoft publishes; it only works against emulators).
 */
class AzuriteDockerComposeConnectionDetailsFactory
		extends DockerComposeConnectionDetailsFactory<AzureBlobConnectionDetails> {

	private static final int BLOB_PORT = 10000;

	/** Azurite's built-in account and its published key: a throwaway that only works against emulators. */
	static final String DEV_ACCOUNT = "devstoreaccount1";

	static final String DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

	AzuriteDockerComposeConnectionDetailsFactory() {
		super("azure-storage/azurite", "dev.objectstorage.azblob.AzureBlobBackend");
	}

	@Override
	protected AzureBlobConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		return new AzuriteDockerComposeConnectionDetails(source.getRunningService());
	}

	static final class AzuriteDockerComposeConnectionDetails extends DockerComposeConnectionDetails
			implements AzureBlobConnectionDetails {

		private final String connectionString;

		AzuriteDockerComposeConnectionDetails(RunningService service) {
			super(service);
			String account = DEV_ACCOUNT;
			String key = DEV_KEY;
			String accounts = service.env().get("AZURITE_ACCOUNTS");
			if (accounts != null && !accounts.isBlank()) {
				// "name1:key1[:key2];name2:key3..." - the first account, its first key
				String[] first = accounts.split(";")[0].split(":");
				if (first.length >= 2) {
					account = first[0];
					key = first[1];
				}
			}
			this.connectionString = "DefaultEndpointsProtocol=http;AccountName=" + account + ";AccountKey=" + key
					+ ";BlobEndpoint=http://" + service.host() + ":" + service.ports().get(BLOB_PORT) + "/" + account + ";";
		}

		@Override
		public String getConnectionString() {
			return this.connectionString;
		}

	}

}
