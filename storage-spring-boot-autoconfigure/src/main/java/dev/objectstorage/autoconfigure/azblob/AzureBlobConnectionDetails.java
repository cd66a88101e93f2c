package dev.objectstorage.autoconfigure.azblob;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * How to reach an Azure Blob Storage service. Taken from {@code storage.azblob.*} by default; a
 * bean of this type (for example from a Testcontainers {@code @ServiceConnection} on an
 * {@code AzuriteContainer}, or Spring Boot's Docker Compose support for an Azurite service)
 * replaces the connection string, account, key, SAS token and endpoint of every {@code azblob}
 * storage; the container and prefix stay those of the properties.
 */
public interface AzureBlobConnectionDetails extends ConnectionDetails {

	/**
	 * A connection string with the account, its key and the blob endpoint
	 * ({@code DefaultEndpointsProtocol=...;AccountName=...;AccountKey=...;BlobEndpoint=...}).
	 * @return the connection string
	 */
	String getConnectionString();

}
