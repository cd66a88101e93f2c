package dev.objectstorage.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * One type of storage the auto-configuration knows ({@code fs}, {@code s3}, ...), as its package
 * registers it in {@link StorageBackendTypes#ALL}. The rest of the auto-configuration derives what
 * it needs to know about backends from these: the configurations that declare their
 * {@link StorageBackendFactory} beans, the known types and the module a missing one needs (in
 * failure messages), the {@code storage.type} hints of the configuration metadata, the property
 * classes to bind (with Spring AOT), and the setting that shows a type was meant.
 *
 * @param type the type, as written in {@code storage.type}; also the first segment of its
 * settings ({@code storage.<type>.*})
 * @param title the backend's name for people, for example {@code Azure Blob Storage}
 * @param description one sentence on where its objects live, for the {@code storage.type} hint
 * @param module the artifact that brings the backend, for example {@code storage-s3}, or
 * {@code null} for a backend of storage-core
 * @param mainSetting the setting (kebab-case, below {@code storage.<type>.}) that shows this type
 * was meant, for example {@code bucket}: set while {@code storage.type} is not, it fails the
 * start; {@code null} for none
 * @param properties the class its {@code storage.<type>.*} settings bind to, or {@code null} for
 * a type without settings
 * @param configuration the {@code @Configuration} class that declares its
 * {@link StorageBackendFactory} bean (imported by {@link StorageAutoConfiguration})
 */
public record StorageBackendType(String type, String title, String description, @Nullable String module,
		@Nullable String mainSetting, @Nullable Class<?> properties, Class<?> configuration) {

}
