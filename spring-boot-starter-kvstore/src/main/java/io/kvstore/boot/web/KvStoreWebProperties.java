package io.kvstore.boot.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** The REST API's settings, {@code kvstore.web.*}. */
@ConfigurationProperties("kvstore.web")
public class KvStoreWebProperties {

    /** Whether the REST API is served (needs Spring MVC on the classpath). */
    private boolean enabled = false;

    /** Path under which the REST API is served. */
    private String basePath = "/db";

    /** Largest page a listing, search or query returns, whatever the client asks for. */
    private int maxPageSize = 1000;

    /** Keys a substring search reads at most per request before it reports a partial answer. */
    private long searchScanBudget = 100_000;

    /** Largest request body accepted; larger ones are refused with 413. */
    private DataSize maxBodySize = DataSize.ofMegabytes(16);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getBasePath() {
        return basePath;
    }

    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    public int getMaxPageSize() {
        return maxPageSize;
    }

    public void setMaxPageSize(int maxPageSize) {
        this.maxPageSize = maxPageSize;
    }

    public long getSearchScanBudget() {
        return searchScanBudget;
    }

    public void setSearchScanBudget(long searchScanBudget) {
        this.searchScanBudget = searchScanBudget;
    }

    public DataSize getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(DataSize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }
}
