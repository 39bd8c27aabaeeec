package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's protections, checked over plain HTTP: framing and sniffing forbidden and a strict policy on every
 * answer, no cookie set or honoured (the token travels in the Authorization header only, so there is no CSRF to ride),
 * no inline script, and only the dashboard's own files served.
 */
class DashboardSecurityTest {
    private static final List<String> FILES = List.of(
            "index.html",
            "app.css",
            "app.js",
            "api.js",
            "ui.js",
            "state.js",
            "dates.js",
            "org.js",
            "plans.js",
            "segments.js",
            "history.js",
            "usage.js",
            "expiring.js",
            "find.js",
            "directory.js",
            "changes.js",
            "outcomes.js",
            "diffs.js",
            "meters.js",
            "top.js",
            "webhooks.js");

    private static TollgateServer server;
    private static Api anonymous;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Storage.H2);
        anonymous = new Api(server.url(), null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePageIsServedWithAStrictPolicy_andCannotBeFramed() {
        for (String path : List.of("/", "/dashboard", "/dashboard/app.js", "/dashboard/app.css")) {
            Api.Response page = anonymous.get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.header("Content-Security-Policy"))
                    .as(path)
                    .startsWith("default-src 'self'; script-src 'self'; style-src 'self';")
                    .contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe");
            assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.header("Set-Cookie")).isNull();
        }
        assertThat(anonymous.get("/").header("Content-Type")).startsWith("text/html");
        assertThat(anonymous.get("/dashboard/app.js").header("Content-Type")).startsWith("text/javascript");
    }

    @Test
    void apiAnswersForbidFramingAndSniffing_andSetNoCookie() {
        Api admin = TestServers.admin(server);
        for (Api.Response answer : List.of(admin.get("/v1/admin/me"), anonymous.get("/v1/admin/me"))) {
            assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.header("Content-Security-Policy"))
                    .isEqualTo("default-src 'none'; frame-ancestors 'none'");
            assertThat(answer.header("Set-Cookie")).isNull();
        }
    }

    @Test
    void aCookieIsNoCredential() {
        Api.Response answer = anonymous.send(
                "GET",
                "/v1/admin/me",
                null,
                Api.headers("Cookie", "token=" + TestServers.ADMIN_TOKEN + "; session=" + TestServers.ADMIN_TOKEN));
        assertThat(answer.status()).isEqualTo(401);
    }

    @Test
    void onlyTheDashboardsOwnFilesAreServed() {
        for (String path : List.of(
                "/dashboard/..%2F..%2FTollgateServer.class",
                "/dashboard/%2e%2e%2fDashboard.class",
                "/dashboard/Dashboard.class",
                "/dashboard/nothing.js",
                "/dashboard/index.html.bak")) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void theFilesHaveNoInlineScript_noHtmlInjection_andNoTokenInUrls() throws IOException {
        String html = resource("index.html");
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find())
                .as("inline <script>")
                .isFalse();
        assertThat(Pattern.compile("\\s(on[a-z]+|style)=").matcher(html).find())
                .as("inline handlers or styles")
                .isFalse();
        assertThat(dashboardFiles())
                .as("every file the dashboard serves is checked here")
                .containsExactlyInAnyOrderElementsOf(FILES);
        for (String file : FILES) {
            String text = resource(file);
            assertThat(text).as(file).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(");
            assertThat(text).as(file).doesNotContainPattern("[?&]token=");
            assertThat(text).as(file).doesNotContain("document.cookie", "localStorage");
        }
    }

    /** The files in the dashboard's resource directory, as the build put them on the test class path. */
    private static List<String> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(URI.create(
                        Dashboard.class.getResource("dashboard/index.html").toString()))
                .getParent())) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream("dashboard/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
