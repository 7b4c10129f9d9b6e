package io.kvstore.data.lifecycle;

import io.kvstore.data.repository.KvStoreRepository;

public interface NoteRepository extends KvStoreRepository<Note, String> {
}
