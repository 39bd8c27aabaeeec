package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Metered usage on the organization page, in a real browser: Hooli's API requests per endpoint today, "412 of 1,000
 * used" with the reset time, a row past its limit marked and a metered limit without usage shown as "none used yet";
 * an editor grants extra (the limit rises by it, the audit log records it) and resets usage to 0; the server's refusal
 * is shown in the dialog; a viewer sees the usage without the buttons. The server and the page read 6 Dec 2026, 10:15
 * UTC (then tick), so the day resets at 7 Dec 2026, 00:00 UTC. "Close to a limit" lists the most used keys of a metered
 * field, those past their limit first, and opens one on the organization page. One browser and server for the class; the tests run in
 * order and build on each other. Screenshots go to {@link Browser#SCREENSHOTS}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeterBrowserTest {
    private static final String ENV = "/v1/admin/environments/production";
    private static final String API = "entitlements.maxApiRequestsPerDay";
    private static final String EXPORTS = "entitlements.maxExportsPerMonth";
    private static final String SCHEMA = TestServers.SCHEMA
            .replace(
                    "maxApiRequestsPerDay(endpoint: String!): Int!",
                    "maxApiRequestsPerDay(endpoint: String!): Int! @metered(period: DAY, by: \"context.organization.id\")")
            .replace(
                    "versionHistoryEnabled: Boolean!",
                    "versionHistoryEnabled: Boolean!\n"
                            + "  maxExportsPerMonth: Int! @metered(period: MONTH, by: \"context.organization.id\")");
    private static final Instant NOW = Instant.parse("2026-12-06T10:15:00Z");
    /** How far the server's and the page's clocks are from the wall clock: both start at {@link #NOW}. */
    private static final Duration SHIFT = Duration.between(Instant.now(), NOW);

    private static final Clock CLOCK = Clock.offset(Clock.systemUTC(), SHIFT);
    private static final String SEARCH = "{\"endpoint\":\"search\"}";
    private static final String EXPORT = "{\"endpoint\":\"export\"}";
    private static final String RESETS = "resets 7 Dec 2026, 00:00 UTC";

    private static TollgateServer server;
    private static Api admin;
    private static String editorToken;
    private static String viewerToken;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Browser.requireBrowser();
        server = TestServers.start(TestServers.Storage.H2, CLOCK);
        admin = TestServers.admin(server);
        seed();
        browser = Browser.open(SHIFT);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * The metered schema; limits of 1,000 requests a day on Enterprise, 250 for the export endpoint and 50 exports a
     * month; Hooli in the directory; tokens; and today's usage, reported by an SDK: Hooli's 400 + 12 searches and 260
     * exports, and another organization's 5 searches.
     */
    private static void seed() {
        assertThat(admin.put("/v1/admin/schema", SCHEMA, "If-Match", "\"0\"").status())
                .isEqualTo(200);
        Map<String, Object> exportRule = Map.of(
                "id",
                "export",
                "if",
                Map.of("attribute", "args.endpoint", "op", "eq", "value", "export"),
                "value",
                250);
        Map<String, Object> logic = Map.of(
                "fields",
                Map.of(
                        API,
                        Map.of(
                                "rules",
                                List.of(exportRule, TestServers.planRule("enterprise", "ENTERPRISE", 1000)),
                                "default",
                                100),
                        EXPORTS,
                        Map.of("default", 50),
                        "entitlements.maxTeamSize",
                        Map.of("rules", List.of(TestServers.planRule("enterprise", "ENTERPRISE", 100)), "default", 5),
                        "entitlements.teamRolesEnabled",
                        Map.of("default", true),
                        "entitlements.versionHistoryEnabled",
                        Map.of("default", true)));
        Api.Response seeded = admin.put(ENV + "/logic", logic, "If-Match", "\"1\"");
        assertThat(seeded.status()).as(seeded.toString()).isIn(200, 201);
        Api.Response directory =
                admin.put(DirectoryApi.PATH, List.of(Map.of("id", "org_hooli", "name", "Hooli", "plan", "ENTERPRISE")));
        assertThat(directory.status()).as(directory.toString()).isEqualTo(200);
        editorToken = token("Eda (customer success)", "editor");
        viewerToken = token("Vic (sales)", "viewer");
        String sdkToken = TestServers.sdkToken(admin, "api-gateway");
        Instant now = CLOCK.instant();
        Api.Response logs = new Api(server.url(), sdkToken)
                .post(
                        "/v1/logs",
                        Map.of(
                                "batchId", "usage-1",
                                "windowStart", now.minusSeconds(5).toString(),
                                "windowEnd", now.toString(),
                                "evaluations", List.of(),
                                "usage",
                                        List.of(
                                                usage("org_hooli", "search", 400),
                                                usage("org_hooli", "search", 12),
                                                usage("org_hooli", "export", 260),
                                                usage("org_other", "search", 5))),
                        "Idempotency-Key",
                        "usage-1");
        assertThat(logs.status()).as(logs.toString()).isEqualTo(202);
    }

    private static String token(String name, String role) {
        return admin.post("/v1/admin/tokens", Map.of("name", name, "kind", "admin", "role", role))
                .json()
                .get("token")
                .asText();
    }

    private static Map<String, Object> usage(String key, String endpoint, int amount) {
        return Map.of(
                "field",
                API,
                "arguments",
                Map.of("endpoint", endpoint),
                "key",
                key,
                "period",
                "DAY",
                "periodStart",
                "2026-12-06T00:00:00Z",
                "amount",
                amount);
    }

    // ---- helpers ----

    private static WebElement visible(String id) {
        return browser.visible(By.id(id));
    }

    /** The usage row of the field with these arguments (compact JSON, keys sorted), once shown. */
    private static By row(String field, String arguments) {
        return By.cssSelector("#meters li[data-field='" + field + "']"
                + (arguments == null ? "" : "[data-arguments='" + arguments + "']"));
    }

    /** The first line of a usage row: "Max API requests per day (endpoint: search): 412 of 1,000 used, ...". */
    private static String summary(String field, String arguments) {
        return browser.await(d -> d.findElement(row(field, arguments)).findElement(By.className("meter-text")))
                .getText();
    }

    private static String rowText(String field, String arguments) {
        return browser.await(d -> d.findElement(row(field, arguments))).getText();
    }

    private static void awaitSummary(String field, String arguments, String text) {
        browser.await(d -> summary(field, arguments).equals(text));
    }

    /** Finds Hooli in the directory and opens its page, with "search" as the endpoint the page explains. */
    private static void openHooli() {
        browser.tab("org");
        browser.visible(By.cssSelector("#org-more summary")).click();
        WebElement endpoint = visible("arg-entitlements-maxApiRequestsPerDay-endpoint");
        endpoint.clear();
        endpoint.sendKeys("search");
        WebElement search = visible("org-search");
        search.clear();
        search.sendKeys("hooli");
        browser.await(d -> d.findElements(By.cssSelector("#org-matches li")).size() == 1);
        search.sendKeys(Keys.ENTER);
        browser.visible(By.id("meters"));
    }

    private static List<WebElement> buttons(String action) {
        return browser.driver().findElements(By.cssSelector("#meters button[data-action=" + action + "]"));
    }

    private static WebElement button(String field, String arguments, String action) {
        return browser.await(
                d -> d.findElement(row(field, arguments)).findElement(By.cssSelector("[data-action=" + action + "]")));
    }

    /** The {@code action} entries of production, newest first, as {@code actor | target | detail}. */
    private static List<String> audit(String action) {
        List<String> found = new ArrayList<>();
        for (JsonNode entry :
                admin.get("/v1/admin/audit?environment=production").json().get("entries")) {
            if (entry.get("action").asText().equals(action)) {
                found.add(entry.get("actor").asText() + " | "
                        + entry.get("target").asText() + " | "
                        + entry.get("detail").asText());
            }
        }
        return found;
    }

    private static JsonNode meterRow(String endpoint) {
        for (JsonNode row : admin.get(ENV + "/meters?key=org_hooli").json().get("usage")) {
            if (row.get("arguments").path("endpoint").asText().equals(endpoint)) {
                return row;
            }
        }
        throw new AssertionError("no row of org_hooli for " + endpoint);
    }

    // ---- tests ----

    @Test
    @Order(10)
    void theOrganizationPage_showsUsageThisPeriod_usedOfTheLimit_withTheResetTime_andMarksARowPastItsLimit() {
        browser.signIn(server.url(), editorToken);
        openHooli();

        assertThat(visible("meters-title").getText()).isEqualTo("Usage this period");
        assertThat(summary(API, SEARCH))
                .isEqualTo("Max API requests per day (endpoint: search): 412 of 1,000 used, " + RESETS);
        assertThat(rowText(API, SEARCH))
                .contains("41%")
                .contains("The limit is 1,000 per day (rule: when organization plan is Enterprise).");
        assertThat(browser.driver().findElement(row(API, SEARCH)).getDomAttribute("data-state"))
                .isEqualTo("within");
        assertThat(summary(API, EXPORT))
                .as("explained again with the row's endpoint, whose rule gives 250")
                .isEqualTo("Max API requests per day (endpoint: export): 260 of 250 used, " + RESETS);
        WebElement export = browser.driver().findElement(row(API, EXPORT));
        assertThat(export.getDomAttribute("data-state")).isEqualTo("over");
        assertThat(export.getDomAttribute("class")).contains("meter-over");
        assertThat(export.findElement(By.className("badge-over")).getText()).isEqualTo("Over the limit by 10");
        assertThat(export.getText())
                .contains("104%")
                .contains("The limit is 250 per day (rule: when endpoint is “export”).");
        assertThat(summary(EXPORTS, null))
                .isEqualTo("Max exports per month: none used yet (limit 50), resets 1 Jan 2027, 00:00 UTC");
        assertThat(browser.driver().findElements(By.cssSelector("#meters li")))
                .as("another organization's usage is not Hooli's")
                .hasSize(3);
        assertThat(browser.driver()
                        .findElement(By.cssSelector("#entitlements tr[data-field='" + API + "'] details.tech"))
                        .getDomProperty("textContent"))
                .contains("a limit on usage, counted per day (UTC) by organization ID");
        assertThat(buttons("grant")).hasSize(3);
        assertThat(buttons("reset"))
                .as("nothing to reset where nothing was used")
                .hasSize(2);
    }

    /** The rows of "Close to a limit", each as {@code organization | for | used | limit}. */
    private static List<String> topRows() {
        List<String> rows = new ArrayList<>();
        for (WebElement tr : browser.driver().findElements(By.cssSelector("#top tbody tr"))) {
            List<String> cells = new ArrayList<>();
            for (WebElement cell : tr.findElements(By.cssSelector("th, td"))) {
                cells.add(cell.getText());
            }
            rows.add(String.join(" | ", cells));
        }
        return rows;
    }

    @Test
    @Order(15)
    void closeToALimit_listsTheMostUsed_pastTheirLimitFirst_withNamesAndLimits_andARowOpensTheOrganization() {
        browser.tab("top");
        new Select(visible("top-field")).selectByValue(API);
        browser.await(d -> topRows().size() == 3);

        assertThat(topRows())
                .as("Hooli's export row is over its limit of 250, so it comes before the search row that used more;"
                        + " org_other is not in the directory, so its plan and limit are unknown")
                .containsExactly(
                        "Hooli org_hooli | endpoint: export | 260 used | of 250 (104%) Over the limit by 10",
                        "Hooli org_hooli | endpoint: search | 412 used | of 1,000 (41%)",
                        "org_other | endpoint: search | 5 used | unknown: not in the directory");
        assertThat(browser.driver().findElements(By.cssSelector("#top-body > p")).stream()
                        .map(WebElement::getText))
                .containsExactly("Who used the most of max API requests per day today (UTC), across every service that"
                        + " reads production, highest first; those at or past their limit come first, marked in red."
                        + " The limit is looked up for the first 20 rows. Pick a row to open that organization.");
        assertThat(visible("top-body").getText()).doesNotContain("null");
        List<WebElement> rows = browser.driver().findElements(By.cssSelector("#top tbody tr"));
        assertThat(rows.stream().map(r -> r.getDomAttribute("data-state")))
                .containsExactly("over", "within", "unknown");
        assertThat(rows.get(0).getDomAttribute("class")).isEqualTo("top-over");
        assertThat(rows.get(1).getDomAttribute("class")).isNull();
        assertThat(browser.driver().findElements(By.cssSelector("#top thead th")).stream()
                        .map(WebElement::getText))
                .containsExactly("Organization", "For", "Used", "Limit");
        browser.screenshot("meters-top");

        rows.get(0).findElement(By.cssSelector("td.value")).click();
        browser.await(d -> d.findElement(By.id("view-org")).isDisplayed());
        browser.waitForText(By.cssSelector("#entitlements td.value[data-field='" + API + "']"), "250");
        assertThat(visible("org-key").getDomProperty("value")).isEqualTo("org_hooli");
        assertThat(visible("org-directory").getText()).isEqualTo("Plan from the directory: Enterprise");
        assertThat(browser.driver()
                        .findElement(By.id("arg-entitlements-maxApiRequestsPerDay-endpoint"))
                        .getDomProperty("value"))
                .as("the row's endpoint is the one the page explains")
                .isEqualTo("export");
        assertThat(browser.driver()
                        .findElement(By.cssSelector("#org-result h3"))
                        .getText())
                .startsWith("Hooli · org_hooli");
        assertThat(summary(API, EXPORT))
                .isEqualTo("Max API requests per day (endpoint: export): 260 of 250 used, " + RESETS);
        assertThat(summary(API, SEARCH))
                .isEqualTo("Max API requests per day (endpoint: search): 412 of 1,000 used, " + RESETS);
    }

    @Test
    @Order(20)
    void anEditorGrantsExtra_confirmedInWords_theLimitRisesByIt_andTheAuditLogRecordsIt() {
        button(API, SEARCH, "grant").click();
        assertThat(visible("dialog-title").getText())
                .isEqualTo("Grant extra: Max API requests per day (endpoint: search) for Hooli");
        assertThat(visible("grant-now").getText())
                .isEqualTo("412 of 1,000 used today. Extra is granted for today only: at 7 Dec 2026, 00:00 UTC the"
                        + " period ends and the limit is the entitlement's value again.");
        visible("grant-amount").sendKeys("500");
        visible("grant-message").sendKeys("   ");
        visible("dialog-ok").click();
        browser.waitForText(By.id("dialog-error"), "Say why, for the history (a ticket or a few words).");

        visible("grant-message").clear();
        visible("grant-message").sendKeys("goodwill after outage, ticket CS-88");
        visible("dialog-ok").click();
        browser.waitForText(By.id("dialog-title"), "Confirm the grant");
        assertThat(visible("grant-summary").getText())
                .isEqualTo("Grant Hooli 500 more max API requests per day (endpoint: search) for today,"
                        + " until 7 Dec 2026, 00:00 UTC?");
        assertThat(visible("grant-limit").getText()).isEqualTo("The limit goes from 1,000 to 1,500.");
        visible("dialog-ok").click();

        awaitSummary(API, SEARCH, "Max API requests per day (endpoint: search): 412 of 1,500 used, " + RESETS);
        assertThat(rowText(API, SEARCH))
                .contains("27%")
                .contains("The limit includes 500 extra granted for today, on top of 1,000 per day"
                        + " (rule: when organization plan is Enterprise).");
        assertThat(visible("status").getText())
                .isEqualTo("Granted Hooli 500 more max API requests per day (endpoint: search): the limit is now 1,500,"
                        + " until 7 Dec 2026, 00:00 UTC.");
        assertThat(meterRow("search").get("extra").asLong()).isEqualTo(500);
        assertThat(audit("usage.grant"))
                .containsExactly(
                        "Eda (customer success) (token 2) | entitlements.maxApiRequestsPerDay {\"endpoint\":\"search\"}"
                                + " key=org_hooli DAY 2026-12-06T00:00:00Z | extra +500 -> 500: goodwill after outage, ticket"
                                + " CS-88");
        browser.script("document.getElementById('org-meters').scrollIntoView()");
        browser.screenshot("meters");
    }

    @Test
    @Order(30)
    void whatTheServerRefuses_isShownInTheDialog_andNothingIsGranted() {
        button(API, SEARCH, "grant").click();
        visible("grant-amount").sendKeys("100");
        browser.script("document.getElementById('grant-message').value = arguments[0]", "y".repeat(2_001));
        visible("dialog-ok").click();
        browser.waitForText(By.id("dialog-title"), "Confirm the grant");
        visible("dialog-ok").click();

        browser.waitForText(By.id("dialog-error"), "the change message is longer than 2000 characters");
        assertThat(visible("dialog-title").getText()).isEqualTo("Confirm the grant");
        visible("dialog-cancel").click();
        assertThat(meterRow("search").get("extra").asLong()).isEqualTo(500);
        assertThat(audit("usage.grant")).hasSize(1);
    }

    @Test
    @Order(40)
    void anEditorResetsUsage_toZero_afterAConfirmationInWords() {
        button(API, EXPORT, "reset").click();
        assertThat(visible("dialog-title").getText())
                .isEqualTo("Reset usage: Max API requests per day (endpoint: export) for Hooli");
        assertThat(visible("reset-summary").getText())
                .isEqualTo("Reset the usage of max API requests per day (endpoint: export) for Hooli today from 260 to"
                        + " 0? Hooli can then use all 250 again before 7 Dec 2026, 00:00 UTC.");
        visible("reset-message").sendKeys("customer fixed a retry loop, ticket CS-91");
        visible("dialog-ok").click();

        awaitSummary(API, EXPORT, "Max API requests per day (endpoint: export): 0 of 250 used, " + RESETS);
        WebElement export = browser.driver().findElement(row(API, EXPORT));
        assertThat(export.getDomAttribute("data-state")).isEqualTo("within");
        assertThat(export.findElements(By.cssSelector("[data-action=reset]"))).isEmpty();
        assertThat(visible("status").getText())
                .isEqualTo("Reset: max API requests per day (endpoint: export) for Hooli is back to 0 used today"
                        + " (was 260).");
        assertThat(meterRow("export").get("used").asLong()).isZero();
        assertThat(audit("usage.reset"))
                .containsExactly(
                        "Eda (customer success) (token 2) | entitlements.maxApiRequestsPerDay {\"endpoint\":\"export\"}"
                                + " key=org_hooli DAY 2026-12-06T00:00:00Z | used 260 -> 0: customer fixed a retry loop,"
                                + " ticket CS-91");
    }

    @Test
    @Order(50)
    void aViewer_seesTheUsage_withoutGrantOrResetButtons() {
        browser.signIn(server.url(), viewerToken);
        openHooli();

        assertThat(summary(API, SEARCH))
                .isEqualTo("Max API requests per day (endpoint: search): 412 of 1,500 used, " + RESETS);
        assertThat(summary(API, EXPORT))
                .isEqualTo("Max API requests per day (endpoint: export): 0 of 250 used, " + RESETS);
        assertThat(buttons("grant")).isEmpty();
        assertThat(buttons("reset")).isEmpty();
    }
}
