package dev.objectstorage.autoconfigure;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.objectstorage.ObjectStorage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link ObjectStorage} bean per configured storage. The set of storages depends on
 * the configuration ({@code storage.instances.*}), so the beans are registered here rather than
 * declared with {@code @Bean} methods. Each bean is named {@code <name>ObjectStorage}, carries the
 * qualifier {@code <name>}, and the primary one is marked primary.
 * <p>
 * The application's own {@link ObjectStorage} beans add to the configured ones, except that a bean
 * named {@code <name>} or {@code <name>ObjectStorage} replaces the configured storage
 * {@code <name>} (it is then primary only if the application marks it so). The in-memory storage
 * that stands in when nothing is configured is registered only if the application defines no
 * {@link ObjectStorage} bean of its own.
 */
class StorageBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	private static final Log logger = LogFactory.getLog(StorageBeanRegistrar.class);

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Binder binder = Binder.get(this.environment);
		StorageProperties properties = binder.bind(StorageProperties.PREFIX, StorageProperties.class)
			.orElseGet(StorageProperties::new);
		List<StorageDefinition> storages = StorageDefinitions.from(properties, binder);
		Set<String> own = ownStorageBeans(registry);
		boolean nothingConfigured = properties.getType() == null && properties.getInstances().isEmpty();
		if (nothingConfigured && !own.isEmpty()) {
			return;
		}
		if (nothingConfigured) {
			logger.warn("No object storage is configured (storage.type): using an in-memory storage named 'default'. "
					+ "Its data is lost when the application stops. Set storage.type (fs, s3, ...) to keep it.");
		}
		for (StorageDefinition storage : storages) {
			if (own.contains(storage.name()) || own.contains(beanName(storage.name()))) {
				logger.debug("Storage '" + storage.name() + "' is replaced by the application's own ObjectStorage bean");
				continue;
			}
			// a static factory method with the storage's name, not an instance supplier, so that Spring AOT
			// can write the registration as code; the storage's properties are read when it is created
			RootBeanDefinition definition = new RootBeanDefinition(StorageBeanRegistrar.class);
			definition.setFactoryMethodName("createStorage");
			definition.setTargetType(ObjectStorage.class);
			definition.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
			definition.getConstructorArgumentValues().addIndexedArgumentValue(0, storage.name());
			definition.setPrimary(storage.primary());
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, storage.name()));
			definition.setDestroyMethodName("close");
			registry.registerBeanDefinition(beanName(storage.name()), definition);
		}
	}

	/**
	 * Creates the storage of one registered bean, from the properties as they are bound when the
	 * application runs (with Spring AOT, which storages exist is fixed when the application is
	 * built, their settings are not).
	 * @param name the storage's name
	 * @param factory the factory
	 * @param properties the {@code storage.*} properties
	 * @param environment where the settings of the storage's type are bound from
	 * @return the storage
	 */
	static ObjectStorage createStorage(String name, ObjectStorageFactory factory, StorageProperties properties,
			Environment environment) {
		for (StorageDefinition storage : StorageDefinitions.from(properties, Binder.get(environment))) {
			if (storage.name().equals(name)) {
				return factory.create(storage);
			}
		}
		throw new InvalidStorageConfigurationException(StorageProperties.PREFIX + ".instances." + name,
				"Storage '" + name + "' was configured when the application was built ahead of time (Spring AOT), "
						+ "but is not configured now.",
				"Configure storage '" + name + "' again, or build the application again with the storages it runs with.",
				null);
	}

	private static Set<String> ownStorageBeans(BeanDefinitionRegistry registry) {
		if (registry instanceof ListableBeanFactory beans) {
			return new HashSet<>(Arrays.asList(beans.getBeanNamesForType(ObjectStorage.class, true, false)));
		}
		return Set.of();
	}

	static String beanName(String storageName) {
		return storageName + "ObjectStorage";
	}

}
