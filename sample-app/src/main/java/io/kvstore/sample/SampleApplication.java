package io.kvstore.sample;

import io.kvstore.data.config.EnableKvStoreAuditing;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.web.config.EnableSpringDataWebSupport;
import org.springframework.data.web.config.EnableSpringDataWebSupport.PageSerializationMode;

/**
 * A small shop on two KvStore instances: {@code app} (BSON documents, customers and orders with
 * repositories on secondary indexes) and {@code log} (raw values, an event ingester). Everything
 * else — instances, repositories, REST API, health, metrics — comes from the starter and
 * {@code application.yml}.
 */
@SpringBootApplication
@EnableKvStoreAuditing
@EnableSpringDataWebSupport(pageSerializationMode = PageSerializationMode.VIA_DTO)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
