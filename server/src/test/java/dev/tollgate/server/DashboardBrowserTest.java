package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.InputValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real browser (Debian's chromium, driven through the system chromedriver): sign in, look up an
 * organization, change an override and see it in the entitlements, the history and a connected SDK client, restore,
 * edit plan defaults and segments, survive a concurrent edit, be refused as a viewer, and grant an override with an
 * end, see it in the Expiring view, extend it, see a lapsed one and be refused an end in the past. One browser for the class;
 * the tests run in order and build on each other. Screenshots of the main screens go to {@code target/screenshots/} (see {@link #SCREENSHOTS}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static final String ENV = "/v1/admin/environments/production";
    private static final String TEAM = "entitlements.maxTeamSize";
    /** Days as the page writes them: "19 Dec 2026". */
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.US);
    /**
     * {@code -Dtollgate.dashboard.wallClock=<instant>} (e.g. {@code 2026-03-14T23:59:50Z}) runs the class as if the
     * wall clock read that instant when the class started; anything that read the real clock would then be days off.
     */
    private static final Duration WALL_CLOCK = wallClock();
    /** The one reading of the wall clock: the UTC day the class runs on; every expected date is whole days from it. */
    private static final LocalDate TODAY = LocalDate.ofInstant(wallClockNow(), ZoneOffset.UTC);
    /**
     * How far the time the server and the page read is from the wall clock: both read noon UTC of {@link #TODAY} when
     * the class starts, then tick with the wall clock. Every date the tests expect is a whole number of days from
     * {@link #TODAY}, and the page's "today", its "in N days" and the server's "now" stay on that day for the twelve
     * hours after noon, so a run that crosses midnight on the wall clock sees the same dates as any other.
     */
    private static final Duration SHIFT =
            Duration.between(Instant.now(), TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC));
    /** The server's clock: the wall clock moved by {@link #SHIFT}; the page's {@code Date} is moved by the same. */
    private static final Clock CLOCK = Clock.offset(Clock.systemUTC(), SHIFT);

    private static TollgateServer server;
    private static Api admin;
    private static String viewerToken;
    private static String editorToken;
    private static String sdkToken;
    private static Browser chrome;
    private static WebDriver browser;

    @BeforeAll
    static void start() {
        Browser.requireBrowser();
        server = TestServers.start(TestServers.Storage.H2, CLOCK);
        admin = TestServers.admin(server);
        seed();
        chrome = Browser.open(SHIFT);
        browser = chrome.driver();
    }

    /** How far the wall clock the class runs at is from the real one: zero unless {@code tollgate.dashboard.wallClock}. */
    private static Duration wallClock() {
        String pinned = System.getProperty("tollgate.dashboard.wallClock", "");
        return pinned.isEmpty() ? Duration.ZERO : Duration.between(Instant.now(), Instant.parse(pinned));
    }

    private static Instant wallClockNow() {
        return Instant.now().plus(WALL_CLOCK);
    }

    @AfterAll
    static void stop() {
        System.out.printf(
                "FIGURE dashboard browser tests ended at %s on the wall clock (real %s); the server and the page read %s,"
                        + " the test's day is %s%n",
                wallClockNow(), Instant.now(), CLOCK.instant(), TODAY);
        if (chrome != null) {
            chrome.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The schema, plan rules, a segment, tokens for a viewer and an SDK, and a day of usage counts. */
    private static void seed() {
        assertThat(admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                        .status())
                .isEqualTo(200);
        Map<String, Object> logic = Map.of(
                "segments",
                Map.of(
                        "beta",
                        Map.of(
                                "description",
                                "Organizations trying features early.",
                                "if",
                                Map.of("attribute", "context.organization.id", "op", "in", "value", List.of("org_7")))),
                "fields",
                Map.of(
                        "entitlements.maxTeamSize",
                        Map.of(
                                "rules",
                                List.of(
                                        TestServers.planRule("pro", "PRO", 20),
                                        Map.of(
                                                "id",
                                                "enterprise",
                                                "if",
                                                Map.of(
                                                        "attribute",
                                                        "context.organization.plan",
                                                        "op",
                                                        "in",
                                                        "value",
                                                        List.of("ENTERPRISE")),
                                                "value",
                                                100)),
                                "default",
                                5),
                        "entitlements.teamRolesEnabled",
                        Map.of(
                                "rules",
                                List.of(TestServers.planRule("enterprise", "ENTERPRISE", true)),
                                "default",
                                false),
                        "entitlements.versionHistoryEnabled",
                        Map.of(
                                "rules",
                                List.of(
                                        Map.of("id", "beta", "if", Map.of("segment", "beta"), "value", true),
                                        TestServers.planRule("paid", "ENTERPRISE", true)),
                                "default",
                                false),
                        "entitlements.maxApiRequestsPerDay",
                        Map.of("default", 1000)));
        Api.Response seeded =
                admin.put(ENV + "/logic", logic, "If-Match", "\"1\"", "Tollgate-Message", "plan%20defaults");
        assertThat(seeded.status()).as(seeded.toString()).isIn(200, 201);
        viewerToken = admin.post("/v1/admin/tokens", Map.of("name", "Vic (support)", "kind", "admin", "role", "viewer"))
                .json()
                .get("token")
                .asText();
        editorToken = admin.post("/v1/admin/tokens", Map.of("name", "Eda (sales)", "kind", "admin", "role", "editor"))
                .json()
                .get("token")
                .asText();
        sdkToken = admin.post(
                        "/v1/admin/tokens", Map.of("name", "checkout", "kind", "sdk", "environment", "production"))
                .json()
                .get("token")
                .asText();
        Instant now = CLOCK.instant();
        Api.Response logs = new Api(server.url(), sdkToken)
                .post(
                        "/v1/logs",
                        Map.of(
                                "batchId", "seed-1",
                                "sdk", Map.of("name", "tollgate-java", "version", "0.1.0"),
                                "windowStart", now.minusSeconds(5).toString(),
                                "windowEnd", now.toString(),
                                "evaluations",
                                        List.of(
                                                count("entitlements.maxTeamSize", "rule:pro", 1200),
                                                count("entitlements.maxTeamSize", "default", 800),
                                                count("entitlements.maxTeamSize", "override", 150),
                                                count("entitlements.teamRolesEnabled", "default", 1900),
                                                count("entitlements.teamRolesEnabled", "rule:enterprise", 250),
                                                count(
                                                        "entitlements.maxApiRequestsPerDay",
                                                        "fallback:INVALID_ARGUMENTS",
                                                        40),
                                                count("entitlements.maxApiRequestsPerDay", "default", 600))),
                        "Idempotency-Key",
                        "seed-1");
        assertThat(logs.status()).as(logs.toString()).isEqualTo(202);
    }

    private static Map<String, Object> count(String field, String outcome, int n) {
        return Map.of("field", field, "outcome", outcome, "count", n);
    }

    // ---- helpers ----

    private static void lookUp(String org, String plan) {
        chrome.tab("org");
        WebElement key = chrome.visible(By.id("org-key"));
        key.clear();
        key.sendKeys(org);
        new Select(browser.findElement(By.id("ctx-context-organization-plan"))).selectByValue(plan);
        WebElement result = browser.findElement(By.id("org-result"));
        ((JavascriptExecutor) browser).executeScript("delete arguments[0].dataset.context", result);
        browser.findElement(By.cssSelector("#org-form button[type=submit]")).click();
        // The page marks the result with the context it was looked up for: the answer to this look-up, not an
        // earlier one (the previous result, or the view switch's render of it).
        chrome.await(d -> {
            String context = result.getDomAttribute("data-context");
            return context != null
                    && context.contains("\"plan\":\"" + plan + "\"")
                    && context.contains("\"id\":\"" + org + "\"");
        });
        chrome.waitForText(By.cssSelector("#org-result h3"), org);
    }

    private static String value(String field) {
        return chrome.await(d -> d.findElement(By.cssSelector("#entitlements td.value[data-field='" + field + "']"))
                .getText());
    }

    private static String row(String field) {
        return browser.findElement(By.cssSelector("#entitlements tr[data-field='" + field + "']"))
                .getText();
    }

    private static long revision() {
        return admin.get(ENV).json().get("revision").asLong();
    }

    /** Opens the change dialog of the field, types the value and message, and reviews; answers the confirm text. */
    private static String typeOverride(String field, String value, String message) {
        browser.findElement(By.cssSelector("#entitlements tr[data-field='" + field + "'] [data-action=set]"))
                .click();
        WebElement input = chrome.visible(By.id("override-value"));
        input.clear();
        input.sendKeys(value);
        browser.findElement(By.id("override-message")).sendKeys(message);
        browser.findElement(By.id("dialog-ok")).click();
        return chrome.visible(By.id("confirm-summary")).getText();
    }

    /**
     * The end of a grant that holds through the UTC day {@code days} after today, as the page sets it: the midnight
     * UTC after that day.
     */
    private static Instant endAfterDays(int days) {
        return TODAY.plusDays(days + 1L).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The last day a grant ending at midnight UTC {@code until} holds, as the page writes it. */
    private static String lastDay(Instant until) {
        return DAY.format(until.minus(1, ChronoUnit.DAYS).atZone(ZoneOffset.UTC));
    }

    /** Sets an override row of maxTeamSize or another field through the admin API, with a window. */
    private static void grantThroughApi(String field, String org, Object value, Map<String, Object> window) {
        Map<String, Object> body = new HashMap<>(window);
        body.put("value", value);
        body.put("message", "seeded through the API");
        Api.Response set = admin.put(
                ENV + "/fields/" + field + "/overrides/context.organization.id/" + org,
                body,
                "If-Match",
                Api.ifMatch(revision()));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
    }

    /** The stored row of {@code org} in maxTeamSize's table by organization id, from its {@code rows} (missing if none). */
    private static JsonNode storedRow(String org) {
        for (JsonNode table : admin.get(ENV + "/fields/" + TEAM).json().path("overrides")) {
            if (table.path("by").asText().equals("context.organization.id")) {
                return table.path("rows").path(org);
            }
        }
        return admin.get(ENV + "/fields/" + TEAM).json().path("no table");
    }

    /** The page's {@code Date} and the server's "now" read {@link #CLOCK}: the test's day, after its noon. */
    private static void theTestTheServerAndThePageAgreeOnToday() {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        long expected = CLOCK.millis();
        assertThat((Long) page.executeScript("return Date.now()")).isBetween(expected - 1_000, expected + 60_000);
        assertThat(page.executeScript("return new Date().toISOString().slice(0, 10)"))
                .isEqualTo(TODAY.toString());
        Instant serverNow =
                Instant.parse(admin.get(ENV + "/expiring").json().get("now").asText());
        assertThat(serverNow).isBetween(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), CLOCK.instant());
    }

    private static Select ends() {
        return new Select(chrome.visible(By.id("override-end")));
    }

    private static WebElement expiringRow(String org) {
        return chrome.visible(By.cssSelector("#expiring tr[data-key='" + org + "'][data-field='" + TEAM + "']"));
    }

    private static WebElement extendButton(String org) {
        return expiringRow(org).findElement(By.cssSelector("[data-action=extend]"));
    }

    private static List<String> expiringKeys() {
        return browser.findElements(By.cssSelector("#expiring tbody tr")).stream()
                .map(r -> r.getDomAttribute("data-key"))
                .toList();
    }

    private static void expiringWithin(int days) {
        new Select(chrome.visible(By.id("expiring-days"))).selectByValue(String.valueOf(days));
        chrome.visible(By.cssSelector("#expiring-body [data-days='" + days + "']"));
    }

    /** A test that failed with the dialog open must not take the next one down with it. */
    @BeforeEach
    void closeTheDialog() {
        // A confirmation may go back to its form when cancelled: cancel until no dialog is open.
        for (int i = 0; i < 3; i++) {
            List<WebElement> cancel = browser.findElements(By.id("dialog-cancel"));
            if (cancel.isEmpty() || !cancel.get(0).isDisplayed()) {
                return;
            }
            cancel.get(0).click();
        }
    }

    // ---- tests ----

    @Test
    @Order(5)
    void onAFreshServerWithoutASchema_saysWhatToDo() {
        try (TollgateServer fresh = TestServers.start(TestServers.Storage.H2)) {
            browser.get(fresh.url() + "/");
            chrome.visible(By.id("token")).sendKeys(TestServers.ADMIN_TOKEN);
            browser.findElement(By.cssSelector("#signin-form button[type=submit]"))
                    .click();
            chrome.waitForText(By.id("alert"), "No schema has been uploaded to this server yet");
            assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("admin");
        }
    }

    @Test
    @Order(10)
    void signsIn_showsTheRole_andAnOrganizationsEntitlementsWithReasons() {
        browser.get(server.url() + "/");
        chrome.visible(By.id("token"));
        assertThat(browser.findElement(By.id("session")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
        chrome.screenshot("sign-in");
        chrome.signIn(server.url(), TestServers.ADMIN_TOKEN);
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("admin");
        assertThat(browser.getCurrentUrl()).doesNotContain("tga_");

        lookUp("org_42", "PRO");
        assertThat(value("entitlements.maxTeamSize")).isEqualTo("20");
        assertThat(row("entitlements.maxTeamSize")).contains("Rule when organization plan is Pro");
        assertThat(row("entitlements.teamRolesEnabled")).contains("false").contains("Default");
        lookUp("org_42", "ENTERPRISE");
        assertThat(value("entitlements.maxTeamSize")).isEqualTo("100");
    }

    @Test
    @Order(20)
    void changesAnOverride_withAConfirmationFromOldToNew_andSeesItInTheEntitlements() {
        lookUp("org_42", "PRO");
        String confirm = typeOverride("entitlements.maxTeamSize", "50", "trial, ticket SALES-12");
        assertThat(confirm).contains("Max team size for org_42: 20 (rule when organization plan is Pro) → 50");
        chrome.screenshot("confirm-override");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.await(d -> value("entitlements.maxTeamSize").equals("50"));
        // The reason says who set it, when and why: the server finds the row's override.set in the audit log.
        assertThat(row("entitlements.maxTeamSize"))
                .contains("Override")
                .contains("Set for org_42 by initial admin (token ")
                .contains(" on " + DAY.format(TODAY) + ": trial, ticket SALES-12");
        chrome.screenshot("organization");
        JsonNode stored = admin.get(ENV + "/fields/entitlements.maxTeamSize").json();
        assertThat(stored.toString()).contains("\"org_42\":50");
    }

    @Test
    @Order(30)
    void showsTheChangeInTheHistory_andRestoresAnOlderRevision() {
        long before = revision();
        chrome.tab("history");
        WebElement latest = chrome.visible(By.cssSelector("#revisions tbody tr:first-child"));
        assertThat(latest.getText())
                .contains("trial, ticket SALES-12")
                .contains("initial admin")
                .containsPattern("\\d{1,2}:\\d{2} [AP]M UTC");
        latest.findElement(By.xpath(".//button[text()='Changes']")).click();
        chrome.waitForText(By.id("diff"), "Max team size: override for org_42 (organization ID): set to 50");
        assertThat(browser.findElements(By.cssSelector("#diff li")).stream().map(WebElement::getText))
                .containsExactly(
                        "Max team size: override table by organization ID added",
                        "Max team size: override for org_42 (organization ID): set to 50");
        chrome.screenshot("history");

        browser.findElement(By.cssSelector("#revisions tr[data-revision='" + (before - 1) + "'] [data-action=restore]"))
                .click();
        chrome.waitForText(By.id("dialog-title"), "Restore revision " + (before - 1));
        chrome.waitForText(By.id("dialog-body"), "Max team size: override table by organization ID removed (1 row)");
        chrome.screenshot("restore");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(By.cssSelector("#revisions tbody tr:first-child"), "restore revision " + (before - 1));
        assertThat(revision()).isEqualTo(before + 1);

        lookUp("org_42", "PRO");
        assertThat(value("entitlements.maxTeamSize")).isEqualTo("20");
    }

    @Test
    @Order(40)
    void keepsWhatWasTyped_whenSomeoneElseEditedFirst() {
        lookUp("org_9", "FREE");
        typeOverride("entitlements.maxTeamSize", "12", "pilot");
        // Someone else changes the logic while the confirmation is open.
        long revision = revision();
        assertThat(admin.put(
                                ENV + "/fields/entitlements.maxTeamSize/overrides/context.organization.id/org_1",
                                Map.of("value", 7, "message", "someone else"),
                                "If-Match",
                                Api.ifMatch(revision))
                        .status())
                .isEqualTo(200);
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(By.id("dialog-error"), "Someone else changed production first");
        assertThat(browser.findElement(By.id("confirm-summary")).getText())
                .contains("→ 12")
                .contains("revision " + (revision + 1));
        browser.findElement(By.id("dialog-ok")).click();
        chrome.await(d -> value("entitlements.maxTeamSize").equals("12"));
        assertThat(admin.get(ENV + "/fields/entitlements.maxTeamSize").text()).contains("\"org_1\":7");
    }

    @Test
    @Order(44)
    void refusesANumberOutsideTheInts_inlineBeforeTheReview() {
        lookUp("org_9", "FREE");
        browser.findElement(By.cssSelector("#entitlements tr[data-field='" + TEAM + "'] [data-action=set]"))
                .click();
        WebElement input = chrome.visible(By.id("override-value"));
        input.clear();
        input.sendKeys("99999999999");
        assertThat(chrome.visible(By.id("override-value-problem")).getText())
                .isEqualTo("New max team size: 99,999,999,999 is not allowed: the value must be from -2,147,483,648 to"
                        + " 2,147,483,647.");
        assertThat(input.getDomAttribute("aria-invalid")).isEqualTo("true");
        browser.findElement(By.id("override-message")).sendKeys("too big for an Int");
        browser.findElement(By.id("dialog-ok")).click();
        assertThat(browser.findElements(By.id("confirm-summary")))
                .as("no review of a value that cannot be saved")
                .isEmpty();
        input.clear();
        input.sendKeys("40");
        assertThat(browser.findElement(By.id("override-value-problem")).isDisplayed())
                .isFalse();
        assertThat(input.getDomAttribute("aria-invalid")).isNull();
        browser.findElement(By.id("dialog-cancel")).click();
        assertThat(value(TEAM)).isEqualTo("12");
    }

    @Test
    @Order(45)
    void listsTheProblems_whenTheServerRefuses_andTheReloadedPageSaysTheRangeBeforeTheReview() {
        lookUp("org_9", "FREE");
        // The page has the schema it loaded; the server now has one where the team size is at most 100,000.
        JsonNode schema = admin.get("/v1/admin/schema").json();
        String ranged =
                TestServers.SCHEMA.replace("maxTeamSize: Int!", "maxTeamSize: Int! @range(min: 0, max: 100000)");
        assertThat(admin.put(
                                "/v1/admin/schema",
                                ranged,
                                "If-Match",
                                "\"" + schema.get("version").asLong() + "\"")
                        .status())
                .isEqualTo(200);
        String confirm = typeOverride(TEAM, "250000", "bigger than the schema allows");
        assertThat(confirm).contains("→ 250,000");
        browser.findElement(By.id("dialog-ok")).click();
        // The schema upload published the logic again under the new schema: the page reloads it and asks once more.
        chrome.waitForText(By.id("dialog-error"), "Someone else changed production first");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(By.id("dialog-error"), "does not validate");
        assertThat(browser.findElement(By.cssSelector("#dialog-error li")).getText())
                .contains(TEAM)
                .contains("value 250000 is above the maximum 100000 (@range)");
        closeTheDialog();
        assertThat(value(TEAM)).isEqualTo("12");

        browser.navigate().refresh();
        chrome.visible(By.id("role"));
        lookUp("org_9", "FREE");
        browser.findElement(By.cssSelector("#entitlements tr[data-field='" + TEAM + "'] [data-action=set]"))
                .click();
        assertThat(chrome.visible(By.id("override-value-allowed")).getText()).isEqualTo("Allowed: from 0 to 100,000.");
        assertThat(chrome.visible(By.id("override-value")).getDomAttribute("max"))
                .isEqualTo("100000");
        WebElement input = chrome.visible(By.id("override-value"));
        input.clear();
        input.sendKeys("-1");
        browser.findElement(By.id("override-message")).sendKeys("a negative team");
        assertThat(chrome.visible(By.id("override-value-problem")).getText())
                .isEqualTo("New max team size: -1 is not allowed: the value must be from 0 to 100,000.");
        chrome.screenshot("out-of-range");
        browser.findElement(By.id("dialog-ok")).click();
        assertThat(browser.findElements(By.id("confirm-summary"))).isEmpty();
        closeTheDialog();
    }

    @Test
    @Order(46)
    void theSavedLine_givesWay_whenAnotherPersonChangesTheValueAfterwards() {
        lookUp("org_9", "FREE");
        typeOverride(TEAM, "13", "one more seat");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(By.id("status"), "Saved: Max team size for org_9 is now 13");
        Api.Response other = admin.put(
                ENV + "/fields/" + TEAM + "/overrides/context.organization.id/org_9",
                Map.of("value", 14, "message", "another person"),
                "If-Match",
                Api.ifMatch(revision()));
        assertThat(other.status()).as(other.toString()).isEqualTo(200);

        lookUp("org_9", "FREE");

        assertThat(value(TEAM)).isEqualTo("14");
        assertThat(browser.findElement(By.id("status")).getText())
                .isEqualTo(
                        "Changed since: production is now at revision " + revision() + "; what is shown is current.");
    }

    @Test
    @Order(50)
    void showsPlanDefaultsAsAMatrix_andAdminsEditThem() {
        chrome.tab("plans");
        WebElement team = chrome.visible(By.cssSelector("#matrix tr[data-field='entitlements.maxTeamSize']"));
        assertThat(team.getText()).contains("5").contains("20").contains("100");
        assertThat(browser.findElement(By.cssSelector("#matrix tr[data-field='entitlements.versionHistoryEnabled']"))
                        .getText())
                .contains("Not only by plan: the rule “beta”, when in the segment “beta”.");
        assertThat(browser.findElements(By.cssSelector("#matrix thead th")).stream()
                        .map(WebElement::getText))
                .containsExactly("Entitlement", "Free", "Pro", "Enterprise", "Default", "Edit");
        assertThat(browser.findElement(By.id("plans-body")).getText())
                .startsWith("Values per organization plan from the rules that test only the plan");
        chrome.screenshot("plan-defaults");
        team.findElement(By.tagName("button")).click();
        WebElement pro = chrome.visible(By.id("plan-PRO"));
        pro.clear();
        pro.sendKeys("25");
        browser.findElement(By.id("plan-message")).sendKeys("PRO teams grow to 25");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.visible(By.id("plan-review"));
        browser.findElement(By.id("dialog-ok")).click();
        chrome.await(d -> d.findElement(
                        By.cssSelector("#matrix tr[data-field='entitlements.maxTeamSize'] td[data-plan=PRO]"))
                .getText()
                .equals("25"));
        JsonNode rules =
                admin.get(ENV + "/fields/entitlements.maxTeamSize").json().get("rules");
        assertThat(rules.get(0).get("id").asText()).isEqualTo("pro");
        assertThat(rules.get(0).get("value").asInt()).isEqualTo(25);
    }

    @Test
    @Order(60)
    void addsAndRemovesSegmentMembers() {
        chrome.tab("segments");
        WebElement add = chrome.visible(By.id("segment-beta-add"));
        add.sendKeys("org_42");
        add.submit();
        chrome.waitForText(By.cssSelector("[data-segment=beta]"), "org_42");
        chrome.screenshot("segments");
        browser.findElement(By.cssSelector("[aria-label='Remove org_7 from beta']"))
                .click();
        chrome.await(d ->
                !d.findElement(By.cssSelector("[data-segment=beta]")).getText().contains("org_7"));
        assertThat(admin.get(ENV + "/segments/beta").text()).contains("org_42").doesNotContain("org_7");
    }

    @Test
    @Order(70)
    void showsUsageByOutcomeAsAChart() {
        chrome.tab("usage");
        WebElement team = chrome.visible(By.cssSelector("figure.usage[data-field='entitlements.maxTeamSize']"));
        chrome.waitForText(By.cssSelector("figure.usage[data-field='entitlements.maxTeamSize']"), "2,150 evaluations");
        assertThat(team.findElements(By.cssSelector("svg rect.bar-rule"))).hasSize(1);
        // Outcomes in words, the SDKs' labels (rule:pro, fallback:INVALID_ARGUMENTS) only as the legend's tooltips.
        assertThat(team.findElements(By.cssSelector(".legend li")).stream().map(WebElement::getText))
                .containsExactly("Rule: when organization plan is Pro: 1,200", "Default: 800", "Override: 150");
        assertThat(team.findElement(By.cssSelector(".legend li")).getDomAttribute("title"))
                .isEqualTo("rule:pro");
        assertThat(browser.findElement(
                                By.cssSelector("figure.usage[data-field='entitlements.maxApiRequestsPerDay'] .legend"))
                        .getText())
                .isEqualTo("Default: 600\nFallback: the code passed arguments the entitlement does not take: 40");
        assertThat(browser.findElement(By.cssSelector("#usage-body .hint")).getText())
                .matches("(?s).*, \\d{1,2}:\\d{2} [AP]M UTC to now\\. Bars share one scale\\.");
        chrome.screenshot("usage");
    }

    @Test
    @Order(80)
    void aChangeInThePageReachesARunningSdkClientWithinASecond() throws Exception {
        // A service connected as every SDK is: the snapshot endpoint plus the revision stream.
        TollgateClient client = TollgateClient.builder(Schema.parse(TestServers.SCHEMA, "schema.graphql"))
                .logs(LogOptions.disabled())
                .server(ServerOptions.builder(server.url(), sdkToken).build())
                .build();
        try (client) {
            assertThat(client.awaitReady(Duration.ofSeconds(5)).isReady()).isTrue();
            InputValue org77 = DynamicInput.context(
                    client.schema(),
                    Map.of("organization", Map.of("id", "org_77", "plan", "FREE"), "user", Map.of("id", "u1")));
            assertThat(client.root(org77).intValue("entitlements.maxTeamSize", -1))
                    .isEqualTo(5);

            lookUp("org_77", "FREE");
            typeOverride("entitlements.maxTeamSize", "60", "bought the team add-on");
            long clicked = System.nanoTime();
            browser.findElement(By.id("dialog-ok")).click();
            long seenAfter = -1;
            while (System.nanoTime() - clicked < 2_000_000_000L) {
                if (client.root(org77).intValue("entitlements.maxTeamSize", -1) == 60) {
                    seenAfter = (System.nanoTime() - clicked) / 1_000_000;
                    break;
                }
                Thread.sleep(5);
            }
            System.out.printf(
                    "FIGURE dashboard confirm click -> value in a stream-connected SDK client: %d ms%n", seenAfter);
            assertThat(seenAfter)
                    .as("milliseconds from the click to the SDK client's value")
                    .isBetween(0L, 1_000L);
        }
    }

    @Test
    @Order(85)
    void anEditorChangesOverridesAndSegments_butNotPlanDefaultsOrHistory() {
        chrome.signIn(server.url(), editorToken);
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("editor");
        lookUp("org_42", "PRO");
        assertThat(browser.findElements(By.cssSelector("#entitlements [data-action=set]")))
                .hasSize(4);
        chrome.tab("plans");
        chrome.visible(By.id("matrix"));
        assertThat(browser.findElements(By.cssSelector("#matrix button"))).isEmpty();
        chrome.tab("segments");
        chrome.visible(By.id("segment-beta-add"));
        chrome.tab("history");
        chrome.visible(By.id("revisions"));
        assertThat(browser.findElements(By.cssSelector("[data-action=restore]")))
                .isEmpty();
    }

    /**
     * An editor sets an organization's override in a table the entitlement already has; for an entitlement without
     * a table by organization id the change is sent to an admin for review instead, and nothing is stored yet.
     */
    @Test
    @Order(87)
    void anEditorSetsOverridesInExistingTables_andIsToldWhenOnlyAnAdminCanCreateTheTable() {
        chrome.signIn(server.url(), editorToken);
        lookUp("org_88", "PRO");
        String confirm = typeOverride("entitlements.maxTeamSize", "33", "editor trial");
        assertThat(confirm).contains("Max team size for org_88: 25 (rule when organization plan is Pro) → 33");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.await(d -> value("entitlements.maxTeamSize").equals("33"));
        assertThat(row("entitlements.maxTeamSize"))
                .contains("Override")
                .contains("Set for org_88 by Eda (sales) (token ")
                .contains(" on " + DAY.format(TODAY) + ": editor trial");
        assertThat(admin.get(ENV + "/fields/entitlements.maxTeamSize").text()).contains("\"org_88\":33");

        long revision = revision();
        typeOverride("entitlements.maxApiRequestsPerDay", "5", "more calls");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(
                By.id("status"),
                "Sent for review: Max API requests per day for org_88 → 5, no end. See change request #");
        assertThat(revision()).isEqualTo(revision);
        assertThat(admin.get(ENV + "/fields/entitlements.maxApiRequestsPerDay").text())
                .doesNotContain("overrides");
    }

    /** The matrix editor's rule rewriting, run in the page (the module as shipped, no test build of its own). */
    @Test
    @Order(86)
    void theMatrixEditorKeepsRuleIds_andSplitsASharedRuleOnlyWhenItsPlansDiverge() {
        Object rules = ((JavascriptExecutor) browser)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "import('/dashboard/plans.js').then(m => {"
                        + " const plan = {attribute: 'context.organization.plan', enumValues: ['FREE', 'PRO', 'ENTERPRISE']};"
                        + " const inRule = {id: 'paid', if: {attribute: plan.attribute, op: 'in', value: ['PRO', 'ENTERPRISE']}, value: 10};"
                        + " const same = m.rewriteRules({rules: [inRule]}, plan, {PRO: 20, ENTERPRISE: 20});"
                        + " const split = m.rewriteRules({rules: [inRule]}, plan, {PRO: 20, ENTERPRISE: 30, FREE: 1});"
                        + " const dropped = m.rewriteRules({rules: [inRule]}, plan, {ENTERPRISE: 30});"
                        + " done(JSON.stringify({same, split, dropped}));"
                        + "}, e => done('error ' + e));");
        assertThat(rules)
                .asString()
                .contains(
                        "\"same\":[{\"id\":\"paid\",\"if\":{\"attribute\":\"context.organization.plan\",\"op\":\"in\","
                                + "\"value\":[\"PRO\",\"ENTERPRISE\"]},\"value\":20}]")
                .contains("\"id\":\"paid-pro\"")
                .contains("\"id\":\"paid-enterprise\"")
                .contains("\"id\":\"plan-free\"")
                .contains("\"dropped\":[{\"id\":\"paid-enterprise\"");
    }

    @Test
    @Order(90)
    void aViewerSeesNoChangeControls_andTheServerRefusesTheirChange() {
        chrome.signIn(server.url(), viewerToken);
        assertThat(browser.findElement(By.id("role")).getText()).isEqualTo("viewer");
        lookUp("org_42", "PRO");
        assertThat(browser.findElements(By.cssSelector("#entitlements [data-action=set]")))
                .isEmpty();
        chrome.tab("history");
        chrome.visible(By.id("revisions"));
        assertThat(browser.findElements(By.cssSelector("[data-action=restore]")))
                .isEmpty();
        // Even a hand-made request from the page, with the viewer's token, is refused.
        Object answer = ((JavascriptExecutor) browser)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "import('/dashboard/api.js').then(api => api.call('PUT',"
                        + " api.overridePath('production', 'entitlements.maxTeamSize', 'context.organization.id', 'org_42'),"
                        + " {body: {value: 999}, ifMatch: 1}))"
                        + ".then(() => done('accepted'), e => done(e.status + ' ' + e.code + ': ' + e.message));");
        assertThat(answer).asString().startsWith("403 forbidden: this needs the editor role");
    }

    /**
     * A salesperson grants a 14-day trial: the ends choice defaults to no end, the confirmation shows the last day, and
     * the organization page shows "until ..."; the stored row is under the table's {@code rows} with that end.
     */
    @Test
    @Order(100)
    void grantsAnOverrideWithAnEnd_theConfirmationShowsIt_andTheOrganizationShowsUntil() {
        chrome.signIn(server.url(), editorToken);
        theTestTheServerAndThePageAgreeOnToday();
        lookUp("org_hooli", "FREE");
        browser.findElement(By.cssSelector("#entitlements tr[data-field='" + TEAM + "'] [data-action=set]"))
                .click();
        WebElement input = chrome.visible(By.id("override-value"));
        input.clear();
        input.sendKeys("10");
        assertThat(ends().getFirstSelectedOption().getText()).isEqualTo("No end");
        Instant until = endAfterDays(14);
        ends().selectByValue("14");
        assertThat(ends().getFirstSelectedOption().getText()).isEqualTo("In 14 days (until " + lastDay(until) + ")");
        assertThat(browser.findElement(By.id("override-until-date")).isDisplayed())
                .isFalse();
        browser.findElement(By.id("override-message")).sendKeys("14-day trial, ticket SALES-31");
        chrome.screenshot("grant-with-end");
        browser.findElement(By.id("dialog-ok")).click();
        assertThat(chrome.visible(By.id("confirm-summary")).getText())
                .contains("Max team size for org_hooli: 5 (default) → 10, until " + lastDay(until) + " (in 14 days)");
        chrome.screenshot("grant-confirm");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.await(d -> value(TEAM).equals("10"));
        assertThat(row(TEAM)).contains("Override").contains("10\nuntil " + lastDay(until) + " (in 14 days)");
        chrome.waitForText(By.id("status"), "is now 10, until " + lastDay(until));
        chrome.screenshot("grant-until");
        assertThat(storedRow("org_hooli").toString()).isEqualTo("{\"value\":10,\"until\":\"" + until + "\"}");
    }

    /** The Expiring view lists grants ending within 7, 14 (the default) or 30 days, soonest first. */
    @Test
    @Order(110)
    void theExpiringViewListsTheGrantsEndingSoon_soonestFirst() {
        grantThroughApi(TEAM, "org_initech", 8, Map.of("until", endAfterDays(3).toString()));
        grantThroughApi(
                TEAM, "org_umbrella", 30, Map.of("until", endAfterDays(20).toString()));
        chrome.tab("expiring");
        assertThat(new Select(chrome.visible(By.id("expiring-days")))
                        .getFirstSelectedOption()
                        .getDomAttribute("value"))
                .isEqualTo("14");
        Instant until = endAfterDays(14);
        assertThat(expiringRow("org_hooli").getText())
                .isEqualTo("org_hooli Max team size 10 " + lastDay(until) + " (in 14 days) Extend 30 days");
        assertThat(expiringRow("org_hooli").findElement(By.tagName("time")).getDomAttribute("datetime"))
                .isEqualTo(until.toString());
        assertThat(expiringKeys()).containsExactly("org_initech", "org_hooli");
        assertThat(expiringRow("org_initech").getText()).contains("8 " + lastDay(endAfterDays(3)) + " (in 3 days)");
        chrome.screenshot("expiring");

        expiringWithin(7);
        assertThat(expiringKeys()).containsExactly("org_initech");
        expiringWithin(30);
        assertThat(expiringKeys()).containsExactly("org_initech", "org_hooli", "org_umbrella");
        expiringWithin(14);
        assertThat(expiringKeys()).containsExactly("org_initech", "org_hooli");
    }

    /**
     * Extend 30 days keeps the value and moves the end by exactly 30 days, after a confirmation; the grant leaves the
     * 14-day list, and the organization page shows the new end.
     */
    @Test
    @Order(120)
    void extendingAGrantMovesItsEndBy30Days() {
        Instant until = endAfterDays(14);
        Instant extended = until.plus(30, ChronoUnit.DAYS);
        long before = revision();
        expiringRow("org_hooli")
                .findElement(By.cssSelector("[data-action=extend]"))
                .click();
        assertThat(chrome.visible(By.id("extend-summary")).getText())
                .isEqualTo("Max team size for org_hooli stays 10: until " + lastDay(until) + " → until "
                        + lastDay(extended) + " (in 44 days)");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(
                By.id("status"),
                "Extended: Max team size for org_hooli stays 10 until " + lastDay(extended) + " (in 44 days).");
        chrome.await(d -> expiringKeys().equals(List.of("org_initech")));
        assertThat(revision()).isEqualTo(before + 1);
        assertThat(storedRow("org_hooli").toString()).isEqualTo("{\"value\":10,\"until\":\"" + extended + "\"}");

        expiringWithin(30);
        assertThat(expiringKeys()).doesNotContain("org_hooli");
        lookUp("org_hooli", "FREE");
        assertThat(value(TEAM)).isEqualTo("10");
        assertThat(row(TEAM)).contains("until " + lastDay(extended) + " (in 44 days)");
    }

    /**
     * Someone else changes a listed grant before its Extend is confirmed: the Extend is refused with the reason, the
     * list then shows the grant as it is now, and extending it from there keeps the other person's value. (The page
     * used to write on the revision of its own logic, which the refused attempt had reloaded, and did not refresh the
     * list: a second Extend of the row as first listed passed and put the old value back.)
     */
    @Test
    @Order(124)
    void anExtendOfAGrantSomeoneElseChanged_isRefused_andTheListThenShowsItAsItIsNow() {
        Instant until = endAfterDays(5);
        Instant extended = endAfterDays(35);
        grantThroughApi(TEAM, "org_acme", 7, Map.of("until", until.toString()));
        chrome.tab("expiring");
        assertThat(expiringRow("org_acme").getText())
                .isEqualTo("org_acme Max team size 7 " + lastDay(until) + " (in 5 days) Extend 30 days");
        grantThroughApi(TEAM, "org_acme", 9, Map.of("until", until.toString()));
        long changed = revision();

        extendButton("org_acme").click();
        chrome.visible(By.id("extend-summary"));
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(
                By.id("dialog-error"),
                "Someone else changed this grant meanwhile (now revision " + changed
                        + "): cancel and look at the list again.");
        browser.findElement(By.id("dialog-cancel")).click();
        chrome.await(d -> expiringRow("org_acme").getText().contains("Max team size 9 "));
        assertThat(revision()).isEqualTo(changed);

        extendButton("org_acme").click();
        assertThat(chrome.visible(By.id("extend-summary")).getText())
                .isEqualTo("Max team size for org_acme stays 9: until " + lastDay(until) + " → until "
                        + lastDay(extended) + " (in 35 days)");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(
                By.id("status"),
                "Extended: Max team size for org_acme stays 9 until " + lastDay(extended) + " (in 35 days).");
        assertThat(revision()).isEqualTo(changed + 1);
        assertThat(storedRow("org_acme").toString()).isEqualTo("{\"value\":9,\"until\":\"" + extended + "\"}");
    }

    /**
     * The days select lists the grants anew without reloading the page's logic; an Extend from that list writes on the
     * revision the list came from, so a change elsewhere made before the list was shown is no conflict: one
     * confirmation extends the grant. (The page used to send its older revision, and asked to confirm twice.)
     */
    @Test
    @Order(126)
    void anExtendFromAListShownAfterAChangeElsewhere_writesOnTheListsRevision() {
        Instant until = endAfterDays(2);
        Instant extended = endAfterDays(32);
        grantThroughApi(TEAM, "org_globex", 11, Map.of("until", until.toString()));
        chrome.tab("expiring");
        grantThroughApi(TEAM, "org_wayne", 15, Map.of());
        long before = revision();
        expiringWithin(7);
        assertThat(expiringRow("org_globex").getText())
                .isEqualTo("org_globex Max team size 11 " + lastDay(until) + " (in 2 days) Extend 30 days");

        extendButton("org_globex").click();
        chrome.visible(By.id("extend-summary"));
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(
                By.id("status"),
                "Extended: Max team size for org_globex stays 11 until " + lastDay(extended) + " (in 32 days).");
        assertThat(revision()).isEqualTo(before + 1);
        assertThat(storedRow("org_globex").toString()).isEqualTo("{\"value\":11,\"until\":\"" + extended + "\"}");
        assertThat(admin.get(ENV + "/fields/" + TEAM).text()).contains("\"org_wayne\":15");
    }

    /**
     * A grant that has lapsed but is still in the logic: the page shows what the organization gets now (its plan's
     * value, from the explain endpoint) and "expired on ..."; a grant that starts later shows "from ...".
     */
    @Test
    @Order(130)
    void aLapsedGrantShowsExpiredOn_andThePlanValue_andAScheduledOneShowsFrom() {
        Instant lapsed = endAfterDays(-3);
        Instant starts = endAfterDays(9);
        grantThroughApi(TEAM, "org_stark", 40, Map.of("until", lapsed.toString(), "allowPastUntil", true));
        grantThroughApi("entitlements.teamRolesEnabled", "org_stark", true, Map.of("from", starts.toString()));
        lookUp("org_stark", "PRO");
        assertThat(value(TEAM)).isEqualTo("25");
        assertThat(row(TEAM))
                .contains("Rule when organization plan is Pro")
                .contains("40\nexpired on " + lastDay(lapsed) + " (3 days ago)");
        assertThat(browser.findElement(By.cssSelector("#entitlements tr[data-field='" + TEAM + "'] [data-window]"))
                        .getDomAttribute("data-window"))
                .isEqualTo("expired");
        assertThat(value("entitlements.teamRolesEnabled")).isEqualTo("false");
        assertThat(row("entitlements.teamRolesEnabled"))
                .contains("Default")
                .contains("true\nfrom " + DAY.format(starts.atZone(ZoneOffset.UTC)) + " (in 10 days)");
        chrome.screenshot("expired-grant");
    }

    /**
     * An end in the past, picked with the date input, is refused by the server: the dialog shows its message, keeps
     * what was typed, and nothing is stored.
     */
    @Test
    @Order(140)
    void anEndInThePast_isRefusedInPlainWords_withTheServersMessage_andNothingIsStored() {
        lookUp("org_pied", "FREE");
        long before = revision();
        browser.findElement(By.cssSelector("#entitlements tr[data-field='" + TEAM + "'] [data-action=set]"))
                .click();
        WebElement input = chrome.visible(By.id("override-value"));
        input.clear();
        input.sendKeys("12");
        ends().selectByValue("date");
        WebElement date = chrome.visible(By.id("override-until-date"));
        String yesterday = TODAY.minusDays(1).toString();
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", date, yesterday);
        browser.findElement(By.id("override-message")).sendKeys("backdated");
        browser.findElement(By.id("dialog-ok")).click();
        Instant until = endAfterDays(-1);
        assertThat(chrome.visible(By.id("confirm-summary")).getText())
                .contains("→ 12, until " + lastDay(until) + " (yesterday)");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(By.id("dialog-error"), "until " + until + " is not in the future");
        assertThat(browser.findElement(By.id("dialog-error")).getText())
                .startsWith("The grant would end " + lastDay(until) + ", which has already passed: go back and pick a"
                        + " later last day, or No end. (The server said: ");
        assertThat(revision()).isEqualTo(before);
        assertThat(admin.get(ENV + "/fields/" + TEAM).text()).doesNotContain("org_pied");
        browser.findElement(By.id("dialog-back")).click();
        assertThat(chrome.visible(By.id("override-value")).getDomProperty("value"))
                .isEqualTo("12");
        assertThat(ends().getFirstSelectedOption().getDomAttribute("value")).isEqualTo("date");
        assertThat(browser.findElement(By.id("override-until-date")).getDomProperty("value"))
                .isEqualTo(yesterday);
        browser.findElement(By.id("dialog-cancel")).click();
        assertThat(value(TEAM)).isEqualTo("5");
    }

    /** A viewer sees the Expiring view but no Extend button. */
    @Test
    @Order(150)
    void aViewerSeesExpiringGrants_butCannotExtendThem() {
        chrome.signIn(server.url(), viewerToken);
        chrome.tab("expiring");
        assertThat(expiringRow("org_initech").getText()).contains("Max team size 8");
        assertThat(browser.findElements(By.cssSelector("[data-action=extend]"))).isEmpty();
    }
}
