package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Changes that need a second pair of eyes, in a real browser: Cancel in a confirmation cancels; plan defaults get an
 * old -> new review step; an admin makes production require approval; an editor's override then becomes a change
 * request that an approver approves in the Changes view, after which the SDK's snapshot has the value; an editor's
 * Change of a field without an override table becomes "Request this change", which only an admin approves. The tests
 * run in order and build on each other; screenshots go to {@link Browser#SCREENSHOTS}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangeRequestBrowserTest {
    private static final String ENV = "/v1/admin/environments/production";
    private static final String TEAM = "entitlements.maxTeamSize";
    private static final String CALLS = "entitlements.maxApiRequestsPerDay";

    private static TollgateServer server;
    private static Api admin;
    private static Api sdk;
    private static String editorToken;
    private static String approverToken;
    private static String secondAdminToken;
    private static Browser chrome;
    private static WebDriver browser;

    @BeforeAll
    static void start() {
        Browser.requireBrowser();
        server = TestServers.start(TestServers.Storage.H2);
        admin = TestServers.admin(server);
        seed();
        chrome = Browser.open();
        browser = chrome.driver();
    }

    @AfterAll
    static void stop() {
        if (chrome != null) {
            chrome.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** maxTeamSize with a table by organization id (org_1 = 7) and plan rules; maxApiRequestsPerDay with a default. */
    private static void seed() {
        assertThat(admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                        .status())
                .isEqualTo(200);
        Map<String, Object> team = Map.of(
                "overrides",
                List.of(Map.of("by", "context.organization.id", "values", Map.of("org_1", 7))),
                "rules",
                List.of(TestServers.planRule("pro", "PRO", 20), TestServers.planRule("enterprise", "ENTERPRISE", 100)),
                "default",
                5);
        Map<String, Object> logic = Map.of("fields", Map.of(TEAM, team, CALLS, Map.of("default", 1000)));
        Api.Response seeded = admin.put(ENV + "/logic", logic, "If-Match", "\"1\"");
        assertThat(seeded.status()).as(seeded.toString()).isEqualTo(200);
        editorToken = token("Eda (sales)", "editor");
        approverToken = token("Abe (sales lead)", "approver");
        secondAdminToken = token("Ada (product)", "admin");
        sdk = admin.as(
                admin.post("/v1/admin/tokens", Map.of("name", "checkout", "kind", "sdk", "environment", "production"))
                        .json()
                        .get("token")
                        .asText());
    }

    private static String token(String name, String role) {
        return admin.post("/v1/admin/tokens", Map.of("name", name, "kind", "admin", "role", role))
                .json()
                .get("token")
                .asText();
    }

    /** A test that failed with the dialog open must not take the next one down with it. */
    @BeforeEach
    void closeTheDialog() {
        List<WebElement> cancel = browser.findElements(By.id("dialog-cancel"));
        if (!cancel.isEmpty() && cancel.get(0).isDisplayed()) {
            cancel.get(0).click();
        }
    }

    // ---- helpers ----

    private static void signIn(String token) {
        chrome.signIn(server.url(), token);
    }

    private static void lookUp(String org, String plan) {
        chrome.tab("org");
        WebElement key = chrome.visible(By.id("org-key"));
        key.clear();
        key.sendKeys(org);
        new Select(browser.findElement(By.id("ctx-context-organization-plan"))).selectByValue(plan);
        WebElement result = browser.findElement(By.id("org-result"));
        chrome.script("delete arguments[0].dataset.context", result);
        browser.findElement(By.cssSelector("#org-form button[type=submit]")).click();
        chrome.await(d -> {
            String context = result.getDomAttribute("data-context");
            return context != null && context.contains("\"id\":\"" + org + "\"");
        });
    }

    /** Opens the field's Change dialog, types the value and message, and presses Review; answers the confirmation. */
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

    private static String value(String field) {
        return chrome.await(d -> d.findElement(By.cssSelector("#entitlements td.value[data-field='" + field + "']"))
                .getText());
    }

    private static long revision() {
        return admin.get(ENV).json().get("revision").asLong();
    }

    private static boolean dialogOpen() {
        return browser.findElement(By.id("dialog")).isDisplayed();
    }

    private static JsonNode openRequests() {
        return admin.get(ENV + "/change-requests?status=open").json().get("changeRequests");
    }

    private static WebElement requestRow(long id) {
        return chrome.visible(By.cssSelector("#change-requests tr[data-request='" + id + "']"));
    }

    // ---- tests ----

    @Test
    @Order(10)
    void cancelInTheConfirmation_cancels_andLeavesNothingPending() {
        signIn(editorToken);
        lookUp("org_1", "PRO");
        long before = revision();

        String confirm = typeOverride(TEAM, "9", "a typo");
        browser.findElement(By.id("dialog-cancel")).click();

        assertThat(confirm).contains("Max team size for org_1: 7 (override) → 9");
        chrome.await(d -> !dialogOpen());
        assertThat(revision()).isEqualTo(before);
        assertThat(value(TEAM)).isEqualTo("7");
        browser.findElement(By.cssSelector("#entitlements tr[data-field='" + TEAM + "'] [data-action=set]"))
                .click();
        assertThat(chrome.visible(By.id("override-value")).getDomProperty("value"))
                .isEqualTo("7");
        assertThat(browser.findElement(By.id("override-message")).getDomProperty("value"))
                .isEmpty();
        browser.findElement(By.id("dialog-cancel")).click();
        chrome.await(d -> !dialogOpen());
    }

    @Test
    @Order(20)
    void planDefaults_showEveryPlansOldAndNewValue_beforeTheyAreSaved() {
        signIn(TestServers.ADMIN_TOKEN);
        chrome.tab("plans");
        chrome.visible(By.cssSelector("#matrix tr[data-field='" + TEAM + "'] button"))
                .click();
        WebElement pro = chrome.visible(By.id("plan-PRO"));
        pro.clear();
        pro.sendKeys("25");
        WebElement free = browser.findElement(By.id("plan-FREE"));
        free.sendKeys("3");
        browser.findElement(By.id("plan-message")).sendKeys("PRO teams grow to 25, FREE shrinks to 3");
        browser.findElement(By.id("dialog-ok")).click();

        WebElement review = chrome.visible(By.id("plan-review"));
        assertThat(review.findElements(By.tagName("li")).stream().map(WebElement::getText))
                .containsExactly("Free: 5 (default) → 3", "Pro: 20 → 25");
        assertThat(browser.findElement(By.id("dialog-title")).getText())
                .isEqualTo("Confirm the plan defaults of Max team size");
        assertThat(browser.findElement(By.id("dialog-body")).getText())
                .contains("Every organization on these plans gets the new max team size, unless it has an override of"
                        + " its own:");
        chrome.screenshot("plan-default-review");
        long before = revision();
        browser.findElement(By.id("dialog-back")).click();
        assertThat(chrome.visible(By.id("plan-PRO")).getDomProperty("value")).isEqualTo("25");
        assertThat(revision()).isEqualTo(before);
        browser.findElement(By.id("dialog-ok")).click();
        chrome.visible(By.id("plan-review"));
        browser.findElement(By.id("dialog-ok")).click();

        chrome.waitForText(By.id("status"), "Saved the plan defaults of Max team size.");
        assertThat(revision()).isEqualTo(before + 1);
        JsonNode rules = admin.get(ENV + "/fields/" + TEAM).json().get("rules");
        assertThat(rules.toString())
                .contains("\"id\":\"pro\"")
                .contains("\"value\":25")
                .contains("\"value\":3");
    }

    @Test
    @Order(30)
    void anAdmin_makesProductionRequireApproval_inTheChangesView() {
        chrome.tab("changes");
        assertThat(chrome.visible(By.id("approval-setting")).getText())
                .startsWith("production publishes edits at once.");
        browser.findElement(By.id("toggle-approval")).click();
        chrome.visible(By.id("settings-message")).sendKeys("audit: two people for every change");
        browser.findElement(By.id("dialog-ok")).click();

        chrome.await(
                d -> "true".equals(d.findElement(By.id("approval-setting")).getDomAttribute("data-require-approval")));
        assertThat(admin.get(ENV + "/settings").json().get("requireApproval").asBoolean())
                .isTrue();
        assertThat(browser.findElement(By.id("approval-setting")).getText())
                .startsWith("production requires approval: edits become change requests that another person approves.");
    }

    @Test
    @Order(40)
    void anEditorsOverride_isSentForReview_andNothingIsPublished() {
        signIn(editorToken);
        lookUp("org_1", "PRO");
        long before = revision();

        typeOverride(TEAM, "50", "trial, ticket SALES-12");
        assertThat(browser.findElement(By.id("dialog-ok")).getText()).isEqualTo("Send for review");
        assertThat(browser.findElement(By.id("review-note")).getText())
                .isEqualTo("production requires approval: this becomes a change request that another person approves;"
                        + " nothing changes until then.");
        browser.findElement(By.id("dialog-ok")).click();

        // The request exists once the page says so; asking the API before that may overtake it.
        chrome.waitForText(By.id("status"), "Sent for review: Max team size for org_1");
        long id = openRequests().get(0).get("id").asLong();
        chrome.waitForText(
                By.id("status"),
                "Sent for review: Max team size for org_1 → 50, no end. See change request #" + id
                        + "; an approver approves it.");
        assertThat(revision()).isEqualTo(before);
        assertThat(value(TEAM)).isEqualTo("7");
        browser.findElement(By.id("review-link")).click();
        WebElement row = requestRow(id);
        assertThat(row.getText()).contains("your request: another person reviews it");
        assertThat(row.findElements(By.cssSelector("[data-action=approve]"))).isEmpty();
        assertThat(row.findElements(By.cssSelector("[data-action=withdraw]"))).hasSize(1);
    }

    @Test
    @Order(50)
    void anApprover_approvesItInTheChangesView_andTheSdkGetsTheValue() {
        long id = openRequests().get(0).get("id").asLong();
        signIn(approverToken);
        chrome.tab("changes");
        WebElement row = requestRow(id);
        assertThat(row.getText())
                .contains("#" + id + "\nSet an override")
                .contains("Max team size: override for org_1 (organization ID): 7 → 50")
                .contains("Eda (sales)")
                .contains("trial, ticket SALES-12")
                .contains("just now")
                .contains("needs an approver");
        chrome.screenshot("change-request");

        row.findElement(By.cssSelector("[data-action=approve]")).click();
        assertThat(chrome.visible(By.id("review-diff")).getText())
                .isEqualTo("Max team size: override for org_1 (organization ID): 7 → 50");
        chrome.visible(By.id("review-comment")).sendKeys("ok for two weeks");
        browser.findElement(By.id("dialog-ok")).click();

        chrome.waitForText(By.id("status"), "Approved change request #" + id + ": published as revision ");
        long published = revision();
        assertThat(browser.findElement(By.id("status")).getText())
                .isEqualTo("Approved change request #" + id + ": published as revision " + published + ".");
        assertThat(sdk.get("/v1/snapshot")
                        .json()
                        .get("fields")
                        .get(TEAM)
                        .at("/overrides/0/values/org_1")
                        .asInt())
                .isEqualTo(50);
        assertThat(admin.get(ENV + "/revisions/" + published)
                        .json()
                        .get("message")
                        .asText())
                .startsWith("change request " + id + " by Eda (sales) (token ")
                .contains("approved by Abe (sales lead) (token ")
                .endsWith("): trial, ticket SALES-12");
        chrome.await(d -> d.findElements(By.id("changes-empty")).size() == 1);
    }

    @Test
    @Order(60)
    void anEditorsChange_ofAFieldWithoutAnOverrideTable_isRequested_andOnlyAnAdminApprovesIt() {
        signIn(editorToken);
        lookUp("org_1", "PRO");
        browser.findElement(By.cssSelector("#entitlements tr[data-field='" + CALLS + "'] [data-action=set]"))
                .click();
        assertThat(chrome.visible(By.id("dialog-title")).getText())
                .isEqualTo("Request this change: Max API requests per day for org_1");
        assertThat(browser.findElement(By.id("request-hint")).getText())
                .startsWith("Max API requests per day has no override table by organization ID yet");
        WebElement input = browser.findElement(By.id("override-value"));
        input.clear();
        input.sendKeys("5000");
        browser.findElement(By.id("dialog-ok")).click();
        // The message is required: the form is not submitted without it.
        assertThat(chrome.script("return document.getElementById('override-message').validity.valueMissing"))
                .isEqualTo(true);
        assertThat(browser.findElements(By.id("confirm-summary"))).isEmpty();
        browser.findElement(By.id("override-message")).sendKeys("integration partner");
        browser.findElement(By.id("dialog-ok")).click();
        assertThat(chrome.visible(By.id("review-note")).getText())
                .isEqualTo("An admin approves this change; nothing changes until then.");
        browser.findElement(By.id("dialog-ok")).click();
        chrome.waitForText(By.id("status"), "; an admin approves it.");
        long id = openRequests().get(0).get("id").asLong();

        signIn(approverToken);
        chrome.tab("changes");
        assertThat(requestRow(id).getText()).contains("needs an admin");
        assertThat(requestRow(id).findElements(By.cssSelector("[data-action=approve]")))
                .isEmpty();
        signIn(secondAdminToken);
        chrome.tab("changes");
        requestRow(id).findElement(By.cssSelector("[data-action=approve]")).click();
        chrome.visible(By.id("review-diff"));
        browser.findElement(By.id("dialog-ok")).click();

        chrome.waitForText(By.id("status"), "Approved change request #" + id);
        assertThat(admin.get(ENV + "/fields/" + CALLS).json().get("overrides").toString())
                .isEqualTo("[{\"by\":\"context.organization.id\",\"values\":{\"org_1\":5000}}]");
    }
}
