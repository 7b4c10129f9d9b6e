package io.kvstore.data.lifecycle;

import io.kvstore.data.repository.KvStoreRepository;
import java.util.List;

public interface AccountRepository extends KvStoreRepository<Account, String> {
    List<Account> findByOwner(String owner);
}
