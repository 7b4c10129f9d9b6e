package io.kvstore.boot.autoconfigure;

import io.kvstore.data.core.KvStoreKeyValueAdapter;
import io.kvstore.data.core.KvStoreTemplate;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.codec.Codec;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.data.keyvalue.core.mapping.context.KeyValueMappingContext;

/**
 * Registers a {@link KvStoreTemplate} named {@code <name>KvStoreTemplate} (qualifier {@code <name>})
 * for each instance whose codec is json or bson (entities need a document codec), and the name
 * {@code kvStoreTemplate} that repositories use for the instance {@code kvstore.repositories.instance}
 * (default: the primary). When that instance cannot serve repositories, {@code kvStoreTemplate}
 * is a lazy bean that fails, if anything asks for it, with the reason and the property to change.
 */
class KvStoreTemplatesRegistrar extends InstancesRegistrarSupport {

    /** The template bean name {@code @EnableKvStoreRepositories} refers to by default. */
    static final String REPOSITORIES_TEMPLATE = "kvStoreTemplate";

    static String templateBeanName(String instance) {
        return instance + "KvStoreTemplate";
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        KvStoreProperties properties = properties();
        Map<String, KvStoreProperties.Instance> instances = properties.effectiveInstances();
        String primary = KvStoreInstances.primaryOf(properties);
        for (Map.Entry<String, KvStoreProperties.Instance> e : instances.entrySet()) {
            String instance = e.getKey();
            if (!documentCodec(e.getValue())) {
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition(KvStoreTemplate.class, () -> {
                KvStore store = beanFactory.getBean(KvStoreInstancesRegistrar.storeBeanName(instance), KvStore.class);
                KeyValueMappingContext<?, ?> context = beanFactory.getBean(KeyValueMappingContext.class);
                return new KvStoreTemplate(new KvStoreKeyValueAdapter(store, context), context);
            });
            definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, instance));
            definition.setPrimary(instance.equals(primary));
            registry.registerBeanDefinition(templateBeanName(instance), definition);
        }
        registerRepositoriesTemplate(properties, instances, primary, registry);
    }

    private void registerRepositoriesTemplate(KvStoreProperties properties,
            Map<String, KvStoreProperties.Instance> instances, String primary, BeanDefinitionRegistry registry) {
        String chosen = properties.getRepositories().getInstance();
        String problem;
        if (chosen != null && !instances.containsKey(chosen)) {
            throw new InvalidKvStorePropertyException("kvstore.repositories.instance", chosen,
                    "no instance has that name; configured instances: " + instances.keySet());
        }
        if (chosen == null) {
            chosen = primary;
        }
        if (chosen == null) {
            problem = "several instances " + instances.keySet() + " are configured and none is primary; set"
                    + " kvstore.repositories.instance or mark one instance primary";
        } else if (!documentCodec(instances.get(chosen))) {
            problem = "repositories need the json or bson codec, but kvstore.instances." + chosen + ".codec is "
                    + instances.get(chosen).getCodec() + "; set it to json or bson, or point"
                    + " kvstore.repositories.instance at an instance that has one";
        } else {
            registry.registerAlias(templateBeanName(chosen), REPOSITORIES_TEMPLATE);
            return;
        }
        String property = chosen == null ? "kvstore.repositories.instance" : "kvstore.instances." + chosen + ".codec";
        Object value = chosen == null ? null : instances.get(chosen).getCodec();
        RootBeanDefinition failing = new RootBeanDefinition(KvStoreTemplate.class, () -> {
            throw new InvalidKvStorePropertyException(property, value, problem);
        });
        failing.setLazyInit(true);
        registry.registerBeanDefinition(REPOSITORIES_TEMPLATE, failing);
    }

    private static boolean documentCodec(KvStoreProperties.Instance instance) {
        try {
            return Codec.named(instance.getCodec()) != Codec.RAW;
        } catch (RuntimeException e) {
            return false; // KvStoreInstances reports the unknown codec
        }
    }
}
