package io.kvstore.boot.test.autoconfigure;

import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/** Leaves every component out of a {@link DataKvStoreTest} unless the test includes it. */
public final class DataKvStoreTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<DataKvStoreTest> {

    DataKvStoreTypeExcludeFilter(Class<?> testClass) {
        super(testClass);
    }
}
