package io.kvstore.boot.web;

import io.kvstore.engine.KvStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API over the application's {@link KvStore} instances, served when the application
 * is a Spring MVC one and {@code kvstore.web.enabled=true}.
 */
@AutoConfiguration(afterName = "io.kvstore.boot.autoconfigure.KvStoreAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({DispatcherServlet.class, KvStore.class})
@ConditionalOnProperty(prefix = "kvstore.web", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(KvStoreWebProperties.class)
@Import({KeysController.class, QueryController.class, CollectionsController.class, InstancesController.class,
        KvStoreProblemHandler.class})
public class KvStoreWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KvStoreAccessPolicy kvStoreAccessPolicy() {
        return KvStoreAccessPolicy.allowAll();
    }

    @Bean
    WebStores kvStoreWebStores(ListableBeanFactory beans, KvStoreAccessPolicy policy,
            ObjectProvider<JsonMapper> jsonMapper) {
        return new WebStores(beans, policy, jsonMapper.getIfAvailable(JsonMapper::new));
    }

    private static boolean refuse(HttpServletResponse response, HttpStatus status, String detail)
            throws java.io.IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase()
                + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail.replace("\"", "'") + "\"}");
        return false;
    }

    /** Refuses bodies over {@code kvstore.web.max-body-size} before they are read, and dot segments in paths. */
    @Bean
    WebMvcConfigurer kvStoreBodySizeLimit(KvStoreWebProperties properties) {
        long max = properties.getMaxBodySize().toBytes();
        String base = properties.getBasePath();
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new HandlerInterceptor() {
                    @Override
                    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                            throws Exception {
                        if (request.getContentLengthLong() > max) {
                            return refuse(response, HttpStatus.CONTENT_TOO_LARGE, "request body of "
                                    + request.getContentLengthLong() + " bytes is over kvstore.web.max-body-size ("
                                    + max + " bytes)");
                        }
                        // The container resolves dot segments before routing, so a/../b would
                        // silently name key b: refuse them as they were sent.
                        for (String segment : request.getRequestURI().split("/")) {
                            String decoded = segment.replace("%2e", ".").replace("%2E", ".");
                            if (decoded.equals("..") || decoded.equals(".")) {
                                return refuse(response, HttpStatus.BAD_REQUEST, "request path must not contain '"
                                        + decoded + "' path segments");
                            }
                        }
                        return true;
                    }
                }).addPathPatterns(base + "/**");
            }
        };
    }
}
