package io.kvstore.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small shop on two KvStore instances: {@code app} (BSON documents, customers and orders with
 * repositories on secondary indexes) and {@code log} (raw values, an event ingester). Everything
 * else — instances, repositories, REST API, health, metrics — comes from the starter and
 * {@code application.yml}.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
