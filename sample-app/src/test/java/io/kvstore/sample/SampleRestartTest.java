package io.kvstore.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.engine.KvStore;
import io.kvstore.engine.codec.Codec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Stopping the application and starting it again on the same directories keeps every write. */
class SampleRestartTest {

    @TempDir
    Path data;

    @Test
    void dataSurvivesARestartOfTheApplication() {
        String note;
        try (ConfigurableApplicationContext first = start()) {
            KvStore app = first.getBean("appKvStore", KvStore.class);
            app.put("notes:restart", Codec.BSON.fromJson("{\"topic\":\"restart\"}"));
            note = Codec.BSON.toJson(app.get("notes:restart"));
            assertThat(first.getBean(CustomerRepository.class).count()).isEqualTo(200);
        }
        try (ConfigurableApplicationContext second = start()) {
            KvStore app = second.getBean("appKvStore", KvStore.class);
            assertThat(Codec.BSON.toJson(app.get("notes:restart"))).isEqualTo(note);
            // Demo data is loaded once: the second start finds it and adds nothing.
            assertThat(second.getBean(CustomerRepository.class).count()).isEqualTo(200);
            assertThat(second.getBean(OrderRepository.class).findByCustomerId("c7")).isNotEmpty();
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
                "--kvstore.instances.app.data-dir=" + data.resolve("app"),
                "--kvstore.instances.log.data-dir=" + data.resolve("log"));
    }
}
