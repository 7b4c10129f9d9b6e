package io.kvstore.sample;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.KeysetScrollPosition;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Slice;
import org.springframework.data.domain.Window;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;

/** The shop's own API: each call is one repository method, served by an index. */
@RestController
@RequestMapping("/api")
class ShopController {

    private final CustomerRepository customers;
    private final OrderRepository orders;
    private final JsonMapper json = new JsonMapper();

    ShopController(CustomerRepository customers, OrderRepository orders) {
        this.customers = customers;
        this.orders = orders;
    }

    @PostMapping("/customers")
    ResponseEntity<Customer> create(@RequestBody Customer customer) {
        Customer saved = customers.save(customer);
        return ResponseEntity.created(URI.create("/api/customers/" + saved.id())).body(saved);
    }

    @GetMapping("/customers/{id}")
    Customer customer(@PathVariable String id) {
        return customers.findById(id).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "customer '" + id + "' not found"));
    }

    @GetMapping("/customers")
    List<Customer> byCity(@RequestParam String city) {
        return customers.findByCity(city);
    }

    @GetMapping("/customers/named")
    List<Customer> byName(@RequestParam String prefix) {
        return customers.findByNameStartingWith(prefix);
    }

    @GetMapping("/customers/tagged")
    List<Customer> byTag(@RequestParam String tag) {
        return customers.findByTagsContaining(tag);
    }

    @GetMapping("/customers/by-age")
    Page<Customer> byAge(@RequestParam int from, @RequestParam int to, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        return customers.findByAgeBetweenOrderByAge(from, to, PageRequest.of(page, size));
    }

    /** Keyset scrolling: pass the {@code next} token of a response to get the following window. */
    @GetMapping("/customers/scroll")
    Map<String, Object> scroll(@RequestParam String tier, @RequestParam(required = false) String next) {
        Window<Customer> window = customers.findFirst10ByTierOrderByAge(tier, position(next));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("customers", window.getContent());
        result.put("next", window.hasNext() && !window.isEmpty() ? token(window.positionAt(window.size() - 1)) : null);
        return result;
    }

    @GetMapping("/customers/count")
    Map<String, Object> count(@RequestParam String city) {
        return Map.of("city", city, "count", customers.countByCity(city));
    }

    @GetMapping("/orders")
    List<Order> ordersOf(@RequestParam String customerId) {
        return orders.findByCustomerId(customerId);
    }

    @GetMapping("/orders/big")
    List<Order> bigOrders(@RequestParam BigDecimal min) {
        return orders.findTop20ByTotalGreaterThanEqualOrderByTotal(min);
    }

    @GetMapping("/orders/status/{status}")
    Slice<Order> byStatus(@PathVariable Order.Status status, @RequestParam(defaultValue = "0") int page) {
        return orders.findByStatus(status, PageRequest.of(page, 20));
    }

    private String token(ScrollPosition position) {
        byte[] bytes = json.writeValueAsBytes(((KeysetScrollPosition) position).getKeys());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @SuppressWarnings("unchecked")
    private ScrollPosition position(String token) {
        if (token == null) {
            return ScrollPosition.keyset();
        }
        try {
            Map<String, Object> keys = json.readValue(Base64.getUrlDecoder().decode(token), Map.class);
            return ScrollPosition.forward(keys);
        } catch (RuntimeException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "next token '" + token + "' is not one this API gave out");
        }
    }
}
