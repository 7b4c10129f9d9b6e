package io.kvstore.sample;

import io.kvstore.engine.KeyRange;
import io.kvstore.engine.KvEntry;
import io.kvstore.engine.KvIterator;
import io.kvstore.engine.KvStore;
import io.kvstore.engine.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A high-rate event ingester on the {@code log} instance (raw values, no fsync per write,
 * tiered compaction): each line of a POST is one event, written in one batch under
 * {@code events/<epoch millis, 13 digits>-<sequence, 9 digits>} so keys sort by time.
 */
@RestController
@RequestMapping("/api/events")
class EventsController {

    private final KvStore log;
    private final Clock clock = Clock.systemUTC();
    private final AtomicLong sequence = new AtomicLong();

    EventsController(@Qualifier("log") KvStore log) {
        this.log = log;
    }

    @PostMapping(consumes = "text/plain")
    Map<String, Object> ingest(@RequestBody String lines) {
        WriteBatch batch = new WriteBatch();
        long now = clock.millis();
        int n = 0;
        for (String line : lines.split("\n")) {
            if (!line.isBlank()) {
                batch.put(key(now, sequence.incrementAndGet()), line.strip().getBytes(StandardCharsets.UTF_8));
                n++;
            }
        }
        if (n == 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "no events: send one event per line");
        }
        log.write(batch);
        return Map.of("ingested", n);
    }

    /** Events from {@code since} (epoch millis) on, oldest first. */
    @GetMapping
    List<Map<String, Object>> since(@RequestParam(defaultValue = "0") long since,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to 1000");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        try (KvIterator it = log.scan(KeyRange.prefix("events/").startingAt(key(since, 0)))) {
            while (it.hasNext() && out.size() < limit) {
                KvEntry e = it.next();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", e.keyAsString());
                m.put("event", e.valueAsString());
                out.add(m);
            }
        }
        return out;
    }

    private static byte[] key(long millis, long seq) {
        return String.format("events/%013d-%09d", millis, seq).getBytes(StandardCharsets.UTF_8);
    }
}
