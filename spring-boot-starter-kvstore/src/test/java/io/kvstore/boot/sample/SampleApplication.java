package io.kvstore.boot.sample;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A plain application with only the starter: what a user writes. */
@SpringBootApplication
public class SampleApplication {
}
