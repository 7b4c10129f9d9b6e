package io.kvstore.boot.sample;

import io.kvstore.data.annotation.Indexed;
import org.springframework.data.annotation.Id;
import org.springframework.data.keyvalue.annotation.KeySpace;

@KeySpace("customers")
public class Customer {

    @Id
    private String id;
    private String name;
    @Indexed
    private String city;

    public Customer() {
    }

    public Customer(String id, String name, String city) {
        this.id = id;
        this.name = name;
        this.city = city;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getCity() {
        return city;
    }
}
