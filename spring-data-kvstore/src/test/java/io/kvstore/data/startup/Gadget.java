package io.kvstore.data.startup;

import io.kvstore.data.annotation.Indexed;
import io.kvstore.engine.index.IndexType;
import org.springframework.data.annotation.Id;
import org.springframework.data.keyvalue.annotation.KeySpace;

@KeySpace("gadgets")
public class Gadget {

    public static class Address {
        public String street;
    }

    @Id
    public String id;
    @Indexed
    public String city;
    @Indexed(type = IndexType.PREFIX)
    public String name;
    @Indexed(type = IndexType.RANGE)
    public Integer weight;
    public String color;
    public Address address;
}
