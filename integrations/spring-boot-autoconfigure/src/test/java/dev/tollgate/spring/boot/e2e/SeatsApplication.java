package dev.tollgate.spring.boot.e2e;

import dev.tollgate.spring.boot.test.flags.Context;
import dev.tollgate.spring.boot.test.flags.Plan;
import dev.tollgate.spring.boot.test.flags.Tollgate;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A service that answers its organizations' seat limits through the injected entry point. */
@SpringBootApplication
public class SeatsApplication {

    /** {@code GET /seats?org=...&plan=...}: the organization's seat limit. */
    @RestController
    static class SeatsController {
        private final Tollgate tollgate;

        SeatsController(Tollgate tollgate) {
            this.tollgate = tollgate;
        }

        @GetMapping("/seats")
        int seats(@RequestParam("org") String organization, @RequestParam("plan") Plan plan) {
            return tollgate.root(
                            Context.builder().organization(organization, plan).build())
                    .entitlements()
                    .maxSeats(0);
        }
    }
}
