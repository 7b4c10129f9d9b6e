package io.kvstore.sample;

import io.kvstore.boot.web.KvStoreAccessPolicy;
import io.kvstore.boot.web.KvStoreAccessPolicy.Operation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic with two demo users: {@code reader} / {@code reader-pass} reads and queries,
 * {@code writer} / {@code writer-pass} also writes and administers. The KvStore REST API asks
 * {@link KvStoreAccessPolicy} on every call; the shop API and actuator are guarded by URL.
 * The passwords are for the demo only ({@code {noop}}: stored in clear).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable()) // a stateless JSON API called with Basic credentials
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health/**", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/actuator/**").hasRole("WRITER")
                        .requestMatchers(HttpMethod.GET, "/api/**").authenticated()
                        .requestMatchers("/api/**").hasRole("WRITER")
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("reader").password("{noop}reader-pass").roles("READER").build(),
                User.withUsername("writer").password("{noop}writer-pass").roles("READER", "WRITER").build());
    }

    /** Readers read and query; only writers write and administer. */
    @Bean
    KvStoreAccessPolicy accessPolicy() {
        return (instance, key, operation, principal) -> operation == Operation.READ || operation == Operation.QUERY
                || (principal instanceof Authentication a
                        && a.getAuthorities().stream().anyMatch(g -> g.getAuthority().equals("ROLE_WRITER")));
    }
}
