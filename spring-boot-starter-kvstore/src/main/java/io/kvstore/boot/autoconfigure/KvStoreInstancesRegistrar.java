package io.kvstore.boot.autoconfigure;

import io.kvstore.engine.KvStore;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link KvStore} bean per configured instance: named {@code <name>KvStore},
 * qualified {@code <name>}, {@code @Primary} for the primary instance; the stores themselves come
 * from {@link KvStoreInstances}.
 */
class KvStoreInstancesRegistrar extends InstancesRegistrarSupport {

    /** The bean name of an instance's store. */
    static String storeBeanName(String instance) {
        return instance + "KvStore";
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        KvStoreProperties properties = properties();
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
