package io.kvstore.boot.web;

import java.security.Principal;

/**
 * Decides whether a REST call may go ahead; consulted on every call of the REST API before it
 * touches a store. Declare a bean of this type to replace the default, which allows everything.
 * A refusal answers {@code 403} and changes nothing.
 */
@FunctionalInterface
public interface KvStoreAccessPolicy {

    /** What a call does to an instance. */
    enum Operation {
        /** Reads keys, values, listings, counts, stats, index definitions. */
        READ,
        /** Writes or deletes keys or documents. */
        WRITE,
        /** Runs an index query or a collection find. */
        QUERY,
        /** Creates, drops or rebuilds indexes; flush, compact, verify, backup. */
        ADMIN
    }

    /**
     * @param instance the instance name
     * @param key the key or document id the call names, the directory of a directory listing
     *     ({@code users/}, {@code ""} for the root), or {@code null} when it names none (key
     *     listings, batches, queries, admin)
     * @param operation what the call does
     * @param principal the authenticated caller, or {@code null} for an anonymous one
     */
    boolean allows(String instance, String key, Operation operation, Principal principal);

    /** The default policy: everything is allowed. */
    static KvStoreAccessPolicy allowAll() {
        return (instance, key, operation, principal) -> true;
    }
}
