package io.kvstore.boot.test.autoconfigure;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/** Reads {@link DataKvStoreTest#properties()} into the test environment. */
class DataKvStoreTestContextBootstrapper extends TestSliceTestContextBootstrapper<DataKvStoreTest> {
}
