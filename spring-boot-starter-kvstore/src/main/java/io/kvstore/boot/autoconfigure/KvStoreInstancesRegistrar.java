package io.kvstore.boot.autoconfigure;

import io.kvstore.engine.KvStore;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link KvStore} bean per configured instance: named {@code <name>KvStore},
 * qualified {@code <name>}, {@code @Primary} for the primary instance. Bean definitions need the
 * instance names before any bean exists, so the {@code kvstore} properties are bound here from
 * the environment; the beans themselves come from {@link KvStoreInstances}.
 */
class KvStoreInstancesRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private Environment environment;
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /** The bean name of an instance's store. */
    static String storeBeanName(String instance) {
        return instance + "KvStore";
    }

    static KvStoreProperties bind(Environment environment) {
        return Binder.get(environment).bind("kvstore", KvStoreProperties.class).orElseGet(KvStoreProperties::new);
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        KvStoreProperties properties = bind(environment);
        String primary = KvStoreInstances.primaryOf(properties);
        for (String instance : properties.effectiveInstances().keySet()) {
            RootBeanDefinition definition = new RootBeanDefinition(KvStore.class,
                    () -> beanFactory.getBean(KvStoreInstances.class).open(instance));
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, instance));
            definition.setPrimary(instance.equals(primary));
            // KvStore.close is idempotent; KvStoreInstances.stop has normally closed it already.
            definition.setDestroyMethodName("close");
            registry.registerBeanDefinition(storeBeanName(instance), definition);
        }
    }
}
