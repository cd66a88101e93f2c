package dev.objectstorage.autoconfigure;

import java.util.Map;

import dev.objectstorage.ObjectStorage;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ProtocolResolver;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Resolves {@code storage://<name>/<path>} locations to {@link ObjectStorage#resource(String)}, so
 * that {@code @Value("storage://photos/logo.png") Resource logo} and
 * {@code resourceLoader.getResource("storage://default/report.pdf")} read from a storage. The
 * resolver registers itself with the application context (as a bean factory post-processor, before
 * any {@code @Value} is resolved) and looks storages up when a location is resolved.
 */
public class StorageProtocolResolver implements ProtocolResolver, BeanFactoryPostProcessor, ApplicationContextAware {

	/** The location prefix. */
	public static final String PREFIX = "storage://";

	private @Nullable ListableBeanFactory beans;

	private @Nullable ApplicationContext context;

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
		this.beans = beanFactory;
		if (this.context instanceof DefaultResourceLoader loader) {
			loader.addProtocolResolver(this);
		}
	}

	@Override
	public @Nullable Resource resolve(String location, ResourceLoader resourceLoader) {
		if (!location.startsWith(PREFIX) || this.beans == null) {
			return null;
		}
		String rest = location.substring(PREFIX.length());
		int slash = rest.indexOf('/');
		if (slash <= 0 || slash == rest.length() - 1) {
			throw new IllegalArgumentException(
					"A storage location looks like storage://<storage name>/<path>, not " + location);
		}
		String name = rest.substring(0, slash);
		String path = rest.substring(slash + 1);
		Map<String, ObjectStorage> storages = this.beans.getBeansOfType(ObjectStorage.class);
		for (ObjectStorage storage : storages.values()) {
			if (storage.name().equals(name)) {
				return storage.resource(path);
			}
		}
		throw new IllegalArgumentException("No storage named '" + name + "' for " + location + " (storages: "
				+ storages.values().stream().map(ObjectStorage::name).toList() + ")");
	}

}
