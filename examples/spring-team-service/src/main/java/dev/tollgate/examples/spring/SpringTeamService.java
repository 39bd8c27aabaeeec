package dev.tollgate.examples.spring;

import dev.tollgate.examples.spring.flags.Tollgate;
import dev.tollgate.examples.team.domain.Organizations;
import dev.tollgate.examples.team.domain.Teams;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The team service on Spring Boot: the seed's add-team-member route as a controller, its entitlements from the
 * Tollgate starter. The generated entry point is named in {@code application.properties}
 * ({@code tollgate.client.entry-point}); the starter builds it with the build-time snapshot, and follows a snapshot
 * file or a Tollgate server when {@code tollgate.client.snapshot-file} or {@code tollgate.client.server.*} is set.
 */
@SpringBootApplication
public class SpringTeamService {

    public static void main(String[] args) {
        SpringApplication.run(SpringTeamService.class, args);
    }

    @Bean
    Organizations organizations() {
        return Organizations.demo();
    }

    @Bean
    Teams teams() {
        return new Teams();
    }

    /** Flushes the evaluation logs after every request, without waiting: flushes coalesce into a few per minute. */
    @Bean
    WebMvcConfigurer flushLogsAfterEachRequest(Tollgate tollgate) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new HandlerInterceptor() {
                    @Override
                    public void afterCompletion(
                            HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
                        tollgate.flushLogs();
                    }
                });
            }
        };
    }
}
