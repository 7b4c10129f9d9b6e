package io.kvstore.data.mapping;

import io.kvstore.data.annotation.Indexed;
import org.springframework.data.annotation.Id;
import org.springframework.data.keyvalue.annotation.KeySpace;

/** An abstract entity type whose keyspace holds its subtypes. */
@KeySpace("shapes")
public abstract class Shape {
    @Id
    public String id;
    @Indexed
    public String color;

    public static class Circle extends Shape {
        public double radius;
    }

    public static class Square extends Shape {
        public int side;
    }
}
