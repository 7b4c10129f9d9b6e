package io.kvstore.boot.test.autoconfigure;

import io.kvstore.boot.autoconfigure.KvStoreDirectoryResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Gives each {@link DataKvStoreTest} class a fresh temporary directory: a
 * {@link KvStoreDirectoryResolver} puts every instance in {@code <temp>/<instance>}. The
 * customizer is equal only for the same test class, so test classes never share a cached context
 * (and so never share data); the directory is deleted when the context closes, after the stores.
 */
class TemporaryDataDirectoryContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, DataKvStoreTest.class)
                ? new TemporaryDataDirectory(testClass) : null;
    }

    private record TemporaryDataDirectory(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            Path root;
            try {
                root = Files.createTempDirectory("kvstore-" + testClass.getSimpleName() + "-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the temporary KvStore directory for " + testClass, e);
            }
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            KvStoreDirectoryResolver resolver = (instance, configured) -> root.resolve(instance);
            beanFactory.registerSingleton("kvStoreTemporaryDirectoryResolver", resolver);
            // Registered before any store, so destroyed after every store has closed.
            ((DefaultListableBeanFactory) beanFactory).registerDisposableBean("kvStoreTemporaryDirectoryCleaner",
                    (DisposableBean) () -> delete(root));
        }

        private static void delete(Path root) throws IOException {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
