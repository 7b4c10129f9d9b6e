package io.kvstore.data.lifecycle;

import io.kvstore.data.repository.KvStoreRepository;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

public interface SessionRepository extends KvStoreRepository<Session, String> {
    List<Session> findByUser(String user);

    long countByUser(String user);

    long countByHitsGreaterThanEqual(int hits);

    boolean existsByUser(String user);

    Page<Session> findByHitsGreaterThanEqual(int hits, Pageable pageable);
}
