package io.kvstore.sample;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The demo data set, loaded on the first start (when there are no customers yet): 200
 * customers in six cities and 1,000 orders. Turn off with {@code sample.demo=false}.
 */
@Component
@ConditionalOnProperty(name = "sample.demo", havingValue = "true", matchIfMissing = true)
class DemoData implements ApplicationRunner {

    private static final Log LOG = LogFactory.getLog(DemoData.class);
    static final String[] CITIES = {"Lisboa", "Porto", "Braga", "Coimbra", "Faro", "Aveiro"};
    static final String[] NAMES = {"Ana", "Bruno", "Carla", "Diogo", "Eva", "Filipe", "Gabriela", "Hugo", "Inês", "João"};
    static final String[] TAGS = {"vip", "newsletter", "wholesale", "returning"};

    private final CustomerRepository customers;
    private final OrderRepository orders;

    DemoData(CustomerRepository customers, OrderRepository orders) {
        this.customers = customers;
        this.orders = orders;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (customers.count() > 0) {
            return;
        }
        Random rnd = new Random(42);
        List<Customer> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String name = NAMES[i % NAMES.length] + " " + (char) ('A' + rnd.nextInt(26)) + ".";
            batch.add(new Customer("c" + i, name, "customer" + i + "@example.com", CITIES[rnd.nextInt(CITIES.length)],
                    18 + rnd.nextInt(60), rnd.nextBoolean() ? "gold" : "silver",
                    List.of(TAGS[rnd.nextInt(TAGS.length)], TAGS[rnd.nextInt(TAGS.length)]).stream().distinct().toList(),
                    null, null));
        }
        customers.saveAll(batch);
        List<Order> orderBatch = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 1000; i++) {
            orderBatch.add(new Order("o" + i, "c" + rnd.nextInt(200),
                    BigDecimal.valueOf(500 + rnd.nextInt(100_000), 2),
                    Order.Status.values()[rnd.nextInt(Order.Status.values().length)],
                    start.plus(rnd.nextInt(300 * 24), ChronoUnit.HOURS)));
        }
        orders.saveAll(orderBatch);
        LOG.info("demo data loaded: 200 customers, 1000 orders");
    }
}
