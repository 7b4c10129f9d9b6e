package io.kvstore.boot.autoconfigure;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;

/**
 * Base of the registrars that register one bean per instance: bean definitions need the instance
 * names before any bean exists, so the {@code kvstore} properties are bound from the environment;
 * the beans' suppliers reach the finished beans through the bean factory.
 */
abstract class InstancesRegistrarSupport implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private Environment environment;
    /** For the bean suppliers, which run once the context is being refreshed. */
    protected BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /** The {@code kvstore.*} properties as configured now. */
    protected KvStoreProperties properties() {
        return Binder.get(environment).bind("kvstore", KvStoreProperties.class).orElseGet(KvStoreProperties::new);
    }
}
