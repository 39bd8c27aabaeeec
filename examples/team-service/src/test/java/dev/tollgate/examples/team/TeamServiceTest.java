package dev.tollgate.examples.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.examples.team.flags.Tollgate;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the service listens: the address it binds, and TCP_NODELAY for the JDK's HTTP server. */
class TeamServiceTest {

    /**
     * Regression: without {@code sun.net.httpserver.nodelay} every response on a kept-alive connection waited about
     * 40 ms for the client's delayed ACK. The JDK reads the property once, when its first server starts, so the class
     * sets it when it loads, before {@link TeamService#start} can create a server.
     */
    @Test
    void loadingTheService_setsTcpNoDelay_beforeAnyServerStarts() throws Exception {
        Class.forName(TeamService.class.getName(), true, TeamService.class.getClassLoader());

        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
    }

    @Test
    void bind_fromTheEnvironment_isTheAddressTheServiceListensOn() throws Exception {
        TeamService.Settings settings = TeamService.Settings.from(Map.of("BIND", "127.0.0.1", "PORT", "0"));
        try (TeamService service = TeamService.start(settings.tollgate(), settings.bind(), settings.port())) {
            assertThat(service.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(new Http(service.port())
                            .get("/api/documents/doc_1/history", "org_globex")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void bind_byDefault_isEveryInterface() {
        TeamService.Settings settings = TeamService.Settings.from(Map.of("PORT", "0"));
        try (TeamService service = TeamService.start(settings.tollgate(), settings.bind(), settings.port())) {
            assertThat(settings.bind()).isEqualTo("0.0.0.0");
            assertThat(service.address().getAddress().isAnyLocalAddress()).isTrue();
        }
    }

    @Test
    void bind_anAddressThatDoesNotResolve_failsNamingIt() {
        TeamService.Settings settings = TeamService.Settings.from(Map.of("BIND", "no-such-host.invalid", "PORT", "0"));

        try (Tollgate tollgate = settings.tollgate()) {
            assertThatThrownBy(() -> TeamService.start(tollgate, settings.bind(), settings.port()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith("cannot listen on no-such-host.invalid port 0: ");
        }
    }
}
