package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OpenID Connect and session settings: read from properties, with refusals that name the setting. */
class SignInSettingsTest {
    private static Map<String, String> signIn(String... pairs) {
        Map<String, String> values = new HashMap<>();
        values.put("tollgate.oidc.issuer", "https://login.example.com/realms/acme");
        values.put("tollgate.oidc.client.id", "tollgate");
        values.put("tollgate.oidc.roles", "tollgate-admins=admin, sales=editor");
        values.put("tollgate.public.url", "https://tollgate.example.com/");
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void theSettings_areRead_withTheirDefaults() {
        ServerConfig config = ServerConfig.fromProperties(signIn());

        assertThat(config.oidcEnabled()).isTrue();
        assertThat(config.oidcRoles())
                .containsExactlyInAnyOrderEntriesOf(Map.of("tollgate-admins", "admin", "sales", "editor"));
        assertThat(config.oidcRoleClaim()).isEqualTo("groups");
        assertThat(config.oidcClientSecret()).isEmpty();
        assertThat(config.publicUrl()).isEqualTo("https://tollgate.example.com");
        assertThat(config.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.sessionAbsoluteTimeout()).isEqualTo(Duration.ofHours(12));
        assertThat(ServerConfig.fromProperties(Map.of()).oidcEnabled()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "tollgate.oidc.roles|sales=boss|tollgate.oidc.roles maps \"sales\" to an unknown role: role must be"
                        + " viewer, editor, approver or admin, was \"boss\"",
                "tollgate.oidc.roles|sales|tollgate.oidc.roles must be claim-value=role pairs separated by commas,"
                        + " such as tollgate-admins=admin,sales=editor; was \"sales\"",
                "tollgate.oidc.roles|a=admin,a=viewer|tollgate.oidc.roles maps \"a\" twice",
                "tollgate.oidc.issuer|http://login.example.com|tollgate.oidc.issuer must be an https URL without"
                        + " query or fragment (http only on localhost), such as https://login.example.com/realms/acme,"
                        + " was \"http://login.example.com\"",
                "tollgate.oidc.client.id|''|tollgate.oidc.client.id is required when tollgate.oidc.issuer is set:"
                        + " the client id registered at the provider",
                "tollgate.public.url|https://tollgate.example.com/dashboard|tollgate.public.url must be the scheme,"
                        + " host and port people open the dashboard at, such as https://tollgate.example.com, was"
                        + " \"https://tollgate.example.com/dashboard\"",
                "tollgate.session.idle.timeout|PT0S|tollgate.session.idle.timeout must be positive, was PT0S",
                "tollgate.session.idle.timeout|PT13H|tollgate.session.idle.timeout (PT13H) must not be longer than"
                        + " tollgate.session.absolute.timeout (PT12H)",
                "tollgate.session.absolute.timeout|12h|tollgate.session.absolute.timeout must be an ISO-8601"
                        + " duration such as P30D or PT12H, was \"12h\"",
            })
    void aBadValue_failsAtStart_namingTheSetting(String key, String value, String message) {
        assertThatThrownBy(() -> ServerConfig.fromProperties(signIn(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void withoutAnIssuer_theOtherOidcSettingsAreRefused() {
        assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("tollgate.oidc.client.id", "tollgate")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tollgate.oidc.client.id is set but tollgate.oidc.issuer is not; set the issuer to turn on"
                        + " sign-in with OpenID Connect, or remove tollgate.oidc.client.id");
        assertThatThrownBy(() -> ServerConfig.fromProperties(signIn("tollgate.oidc.roles", "")))
                .hasMessage("tollgate.oidc.roles must map at least one claim value to a role when tollgate.oidc.issuer"
                        + " is set, such as tollgate-admins=admin,sales=editor");
    }
}
