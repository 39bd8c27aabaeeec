package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Webhooks page in a real browser: an admin adds an endpoint (its secret shown once), sends a test event that a
 * receiver on loopback gets, sees the delivery with its status and attempts, redelivers it and disables the endpoint;
 * an editor has no Webhooks tab. The tests run in order and build on each other. Screenshots go to {@code
 * target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookBrowserTest {
    private static TollgateServer server;
    private static Api admin;
    private static Browser browser;
    private static HttpServer receiver;
    private static final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        Browser.requireBrowser();
        server = TestServers.start(TestServers.Storage.H2);
        admin = TestServers.admin(server);
        assertThat(admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                        .status())
                .isEqualTo(200);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/tollgate", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        browser = Browser.open();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (server != null) {
            server.close();
        }
    }

    private static String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/tollgate";
    }

    private static WebElement visible(String css) {
        return browser.visible(By.cssSelector(css));
    }

    @Test
    @Order(1)
    void addEndpoint_showsTheSecretOnce_andListsTheEndpoint() {
        browser.signIn(server.url(), TestServers.ADMIN_TOKEN);
        browser.tab("webhooks");
        assertThat(visible("#webhooks-none").getText()).isEqualTo("No endpoints yet.");

        visible("#webhook-add").click();
        visible("#webhook-url").sendKeys(url());
        visible("#webhook-description").sendKeys("billing sync");
        browser.driver()
                .findElement(By.cssSelector("input[name=webhook-event][value='override.set']"))
                .click();
        browser.driver()
                .findElement(By.cssSelector("input[name=webhook-event][value='grant.expiring']"))
                .click();
        visible("#dialog-ok").click();

        assertThat(visible("#webhook-secret").getText()).startsWith("whsec_");
        visible("#dialog-ok").click();
        WebElement card = visible("section.webhook");
        assertThat(card.findElement(By.tagName("h3")).getText()).isEqualTo(url() + " enabled");
        assertThat(card.getText())
                .contains("billing sync", "Events: override.set, grant.expiring", "No deliveries yet.");
        assertThat(admin.get("/v1/admin/environments/production/webhooks").text())
                .doesNotContain("whsec_");
    }

    @Test
    @Order(2)
    void sendTestEvent_isDelivered_andShownWithItsStatus() {
        visible("[data-action=ping]").click();
        browser.await(d -> received.size() == 1);
        assertThat(received.get(0)).contains("\"type\":\"ping\"");
        WebElement row = browser.await(d -> {
            browser.tab("webhooks");
            List<WebElement> rows = d.findElements(By.cssSelector("tr[data-status=delivered]"));
            return rows.size() == 1 ? rows.get(0) : null;
        });

        assertThat(row.findElement(By.cssSelector("th")).getText()).startsWith("ping\nevt_");
        assertThat(row.findElement(By.cssSelector(".last-answer")).getText()).isEqualTo("HTTP 204");
        browser.screenshot("webhooks");

        row.findElement(By.cssSelector("[data-action=redeliver]")).click();
        browser.await(d -> received.size() == 2);
        assertThat(received.get(1)).isEqualTo(received.get(0));
        assertThat(visible("#status").getText()).startsWith("Delivering ping evt_");
    }

    @Test
    @Order(3)
    void disable_marksTheEndpoint_andTheTestEventWaits() {
        visible("[data-action=toggle]").click();
        browser.waitForText(By.cssSelector("section.webhook h3"), "disabled");

        assertThat(visible("[data-action=toggle]").getText()).isEqualTo("Enable");
        assertThat(visible("[data-action=ping]").isEnabled()).isFalse();
        assertThat(visible("section.webhook .problem").getText()).isEqualTo("disabled by an admin");
        assertThat(admin.get("/v1/admin/environments/production/webhooks")
                        .json()
                        .get("webhooks")
                        .get(0)
                        .get("enabled")
                        .asBoolean())
                .isFalse();
    }

    @Test
    @Order(4)
    void anEditor_hasNoWebhooksTab() {
        String editor = admin.post(
                        "/v1/admin/tokens", java.util.Map.of("name", "Eda", "kind", "admin", "role", "editor"))
                .json()
                .get("token")
                .asText();
        browser.signIn(server.url(), editor);

        assertThat(browser.driver()
                        .findElement(By.cssSelector("[data-view=webhooks]"))
                        .isDisplayed())
                .isFalse();
    }
}
