package io.kvstore.data.repository;

import io.kvstore.data.core.KvStoreTemplate;
import org.springframework.data.keyvalue.core.KeyValueOperations;
import org.springframework.data.keyvalue.repository.support.KeyValueRepositoryFactory;
import org.springframework.data.repository.core.EntityInformation;
import org.springframework.data.repository.core.RepositoryInformation;
import org.springframework.data.repository.core.RepositoryMetadata;
import org.springframework.data.repository.query.RepositoryQuery;
import org.springframework.data.repository.query.parser.AbstractQueryCreator;

/**
 * Creates KvStore repositories: {@link SimpleKvStoreRepository} as the base, derived queries as
 * {@link KvStorePartTreeQuery} (checked at startup). Creating a repository registers its entity
 * type, which creates (and fills) the engine indexes of its {@code @Indexed} properties.
 */
public class KvStoreRepositoryFactory extends KeyValueRepositoryFactory {

    private final KvStoreTemplate template;

    public KvStoreRepositoryFactory(KeyValueOperations operations, Class<? extends AbstractQueryCreator<?, ?>> queryCreator,
            Class<? extends RepositoryQuery> repositoryQueryType) {
        super(operations, queryCreator, repositoryQueryType);
        if (!(operations instanceof KvStoreTemplate t)) {
            throw new IllegalStateException("KvStore repositories need a KvStoreTemplate, got "
                    + operations.getClass().getName());
        }
        this.template = t;
    }

    public KvStoreRepositoryFactory(KeyValueOperations operations) {
        this(operations, KvStoreQueryCreator.class, KvStorePartTreeQuery.class);
    }

    @Override
    protected Object getTargetRepository(RepositoryInformation information) {
        EntityInformation<?, ?> entity = getEntityInformation(information.getDomainType());
        template.adapter().registry().of(information.getDomainType());
        return new SimpleKvStoreRepository<>(entity, template);
    }

    @Override
    protected Class<?> getRepositoryBaseClass(RepositoryMetadata metadata) {
        return SimpleKvStoreRepository.class;
    }
}
