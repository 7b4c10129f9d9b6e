package io.kvstore.boot.autoconfigure;

import io.kvstore.engine.KvStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Instance names of {@link KvStore} beans, for health, metrics and the endpoint. */
public final class KvStoreBeans {

    private static final String SUFFIX = "KvStore";

    private KvStoreBeans() {
    }

    /**
     * The stores by instance name: a bean {@code appKvStore} is instance {@code app}; a bean
     * named otherwise (an application's own {@code KvStore}) keeps its bean name. Sorted by name.
     */
    public static Map<String, KvStore> byInstance(Map<String, KvStore> beans) {
        Map<String, KvStore> byInstance = new TreeMap<>();
        beans.forEach((bean, store) -> byInstance.put(instanceName(bean), store));
        return new LinkedHashMap<>(byInstance);
    }

    static String instanceName(String beanName) {
        return beanName.endsWith(SUFFIX) && beanName.length() > SUFFIX.length()
                ? beanName.substring(0, beanName.length() - SUFFIX.length()) : beanName;
    }
}
