package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The customer directory in a real browser: an admin uploads a CSV after its preview (and is shown the problems of a
 * bad one by line), finds "Hooli" by typing "hoo", opens it with the plan from the directory, and is warned when
 * looking at another plan; an id not in the directory works as before; an editor searches but has no upload screen.
 * One browser and server for the class; the tests run in order and build on each other. Screenshots go to
 * {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryBrowserTest {
    private static final String ENV = "/v1/admin/environments/production";
    private static final String TEAM = "entitlements.maxTeamSize";
    private static final String ROLES = "entitlements.teamRolesEnabled";
    private static final String PLAN_SELECT = "ctx-context-organization-plan";

    private static TollgateServer server;
    private static Api admin;
    private static String editorToken;
    private static Browser browser;
    private static Path files;

    @BeforeAll
    static void start() throws IOException {
        Browser.requireBrowser();
        server = TestServers.start(TestServers.Storage.H2);
        admin = TestServers.admin(server);
        seed();
        files = Files.createTempDirectory("tollgate-directory-csv-");
        browser = Browser.open();
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (files != null) {
            try (var list = Files.list(files)) {
                for (Path file : list.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(files);
        }
    }

    /** The schema, plan rules for the team size and team roles, and an editor's token. */
    private static void seed() {
        assertThat(admin.put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                        .status())
                .isEqualTo(200);
        Map<String, Object> logic = Map.of(
                "fields",
                Map.of(
                        TEAM,
                        Map.of(
                                "rules",
                                List.of(
                                        TestServers.planRule("pro", "PRO", 20),
                                        TestServers.planRule("enterprise", "ENTERPRISE", 100)),
                                "default",
                                5),
                        ROLES,
                        Map.of(
                                "rules",
                                List.of(TestServers.planRule("enterprise", "ENTERPRISE", true)),
                                "default",
                                false)));
        Api.Response seeded = admin.put(ENV + "/logic", logic, "If-Match", "\"1\"");
        assertThat(seeded.status()).as(seeded.toString()).isIn(200, 201);
        editorToken = admin.post("/v1/admin/tokens", Map.of("name", "Eda (sales)", "kind", "admin", "role", "editor"))
                .json()
                .get("token")
                .asText();
    }

    // ---- helpers ----

    private static WebElement visible(String id) {
        return browser.visible(By.id(id));
    }

    private static String text(String id) {
        return visible(id).getText();
    }

    /** Picks {@code csv}, saved as {@code name}, in the upload screen's file input. */
    private static void pickFile(String name, String csv) throws IOException {
        Path file = files.resolve(name);
        Files.writeString(file, csv);
        browser.tab("directory");
        visible("directory-file").sendKeys(file.toAbsolutePath().toString());
    }

    private static String value(String field) {
        return browser.await(d -> d.findElement(By.cssSelector("#entitlements td.value[data-field='" + field + "']"))
                .getText());
    }

    /** Forgets which look-up the result shows, so that {@link #awaitResult} waits for the next one. */
    private static void forgetResult() {
        browser.script("delete document.getElementById('org-result').dataset.context");
    }

    /** Waits for the result of a look-up of {@code org} on {@code plan}. */
    private static void awaitResult(String org, String plan) {
        browser.await(d -> {
            String context = d.findElement(By.id("org-result")).getDomAttribute("data-context");
            return context != null
                    && context.contains("\"plan\":\"" + plan + "\"")
                    && context.contains("\"id\":\"" + org + "\"");
        });
    }

    private static List<String> matches() {
        return browser.driver().findElements(By.cssSelector("#org-matches li")).stream()
                .map(WebElement::getText)
                .toList();
    }

    private static void search(String text) {
        WebElement box = visible("org-search");
        box.clear();
        box.sendKeys(text);
    }

    // ---- tests ----

    @Test
    @Order(10)
    void aCsvWithProblems_listsEachWithItsLine_andCannotBeUploaded() throws IOException {
        browser.signIn(server.url(), TestServers.ADMIN_TOKEN);
        pickFile("bad.csv", "id,name,plan\norg_ok,Fine Ltd,PRO\norg_bad,Bad Corp,GOLD\n,No Id,FREE\n");

        browser.waitForText(By.id("directory-errors"), "2 problems in the organizations; nothing was written");
        assertThat(browser.driver().findElements(By.cssSelector("#directory-errors li")).stream()
                        .map(WebElement::getText))
                .containsExactly(
                        "line 3 (org_bad): plan \"GOLD\" is not one of FREE, PRO, ENTERPRISE", "line 4: id is empty");
        assertThat(visible("directory-upload").isEnabled()).isFalse();
        assertThat(admin.get(DirectoryApi.PATH + "/org_ok").status()).isEqualTo(404);
    }

    @Test
    @Order(20)
    void anAdminUploadsACsv_afterAPreviewOfItsFirstRowsAndTheCounts() throws IOException {
        admin.put(DirectoryApi.PATH, List.of(Map.of("id", "org_pied", "name", "Pied Piper", "plan", "PRO")));
        pickFile(
                "customers.csv",
                "id,name,plan\n"
                        + "org_hooli,Hooli,ENTERPRISE\n"
                        + "org_hooba,Hoobastank Records,PRO\n"
                        + "org_pied,Pied Piper,FREE\n"
                        + "org_aviato,Aviato,FREE\n"
                        + "org_raviga,Raviga Capital,ENTERPRISE\n"
                        + "org_bream,Bream-Hall,PRO\n");

        browser.waitForText(By.id("directory-counts"), "6 organizations: 5 new, 1 changed, 0 unchanged");
        assertThat(text("directory-preview"))
                .contains("The first 5 of 6")
                .contains("org_hooli Hooli Enterprise")
                .contains("org_raviga Raviga Capital Enterprise")
                .doesNotContain("Bream-Hall");
        assertThat(admin.get(DirectoryApi.PATH + "/org_hooli").status())
                .as("nothing is written before Upload")
                .isEqualTo(404);
        browser.screenshot("directory-upload");
        visible("directory-upload").click();

        browser.waitForText(By.id("directory-done"), "Uploaded. 6 organizations: 5 new, 1 changed, 0 unchanged.");
        assertThat(admin.get(DirectoryApi.PATH + "/org_hooli")
                        .json()
                        .get("plan")
                        .asText())
                .isEqualTo("ENTERPRISE");
        assertThat(admin.get(DirectoryApi.PATH + "/org_pied").json().get("plan").asText())
                .isEqualTo("FREE");
        assertThat(visible("directory-upload").isEnabled()).isFalse();
    }

    @Test
    @Order(30)
    void typingHoo_listsTheMatches_andPickingHooliShowsItsEntitlementsOnItsPlanFromTheDirectory() {
        browser.tab("org");
        forgetResult();
        search("hoo");
        browser.await(d -> matches().size() == 2);
        assertThat(matches()).containsExactly("Hoobastank Records — org_hooba — Pro", "Hooli — org_hooli — Enterprise");
        assertThat(visible("org-search").getDomAttribute("aria-expanded")).isEqualTo("true");
        browser.screenshot("directory-search");

        visible("org-search").sendKeys(Keys.ARROW_DOWN, Keys.ENTER);

        awaitResult("org_hooli", "ENTERPRISE");
        assertThat(visible("org-key").getDomProperty("value")).isEqualTo("org_hooli");
        WebElement plan = new Select(visible(PLAN_SELECT)).getFirstSelectedOption();
        assertThat(plan.getDomAttribute("value")).isEqualTo("ENTERPRISE");
        assertThat(plan.getText()).isEqualTo("Enterprise");
        assertThat(text("org-directory")).isEqualTo("Plan from the directory: Enterprise");
        assertThat(visible("org-directory").getDomAttribute("class")).isEqualTo("note");
        assertThat(text("org-result").lines().findFirst()).hasValue("Hooli · org_hooli (Organization ID, revision 2)");
        assertThat(value(TEAM)).isEqualTo("100");
        assertThat(value(ROLES)).isEqualTo("true");
        assertThat(browser.driver().findElement(By.id("org-matches")).isDisplayed())
                .isFalse();
    }

    @Test
    @Order(40)
    void lookingAtAnotherPlanThanTheDirectorys_showsAWarning() {
        new Select(visible(PLAN_SELECT)).selectByValue("PRO");
        assertThat(text("org-directory"))
                .isEqualTo("The directory says Hooli is on Enterprise; you are looking at Pro.");
        forgetResult();
        browser.driver()
                .findElement(By.cssSelector("#org-form button[type=submit]"))
                .click();

        awaitResult("org_hooli", "PRO");
        assertThat(value(TEAM)).isEqualTo("20");
        assertThat(value(ROLES)).isEqualTo("false");
        assertThat(visible("org-directory").getDomAttribute("class")).isEqualTo("note warning");
        assertThat(text("org-directory"))
                .isEqualTo("The directory says Hooli is on Enterprise; you are looking at Pro.");
        browser.screenshot("plan-warning");

        new Select(visible(PLAN_SELECT)).selectByValue("ENTERPRISE");
        assertThat(text("org-directory")).isEqualTo("Plan from the directory: Enterprise");
    }

    @Test
    @Order(50)
    void anIdNotInTheDirectory_worksAsBefore_withANoteSayingSo() {
        WebElement key = visible("org-key");
        key.clear();
        key.sendKeys("org_unknown");
        new Select(visible(PLAN_SELECT)).selectByValue("FREE");
        forgetResult();
        browser.driver()
                .findElement(By.cssSelector("#org-form button[type=submit]"))
                .click();

        awaitResult("org_unknown", "FREE");
        assertThat(value(TEAM)).isEqualTo("5");
        assertThat(text("org-result").lines().findFirst()).hasValue("org_unknown (Organization ID, revision 2)");
        assertThat(text("org-directory"))
                .isEqualTo("org_unknown is not in the directory: its plan is the one picked here.");
        search("zzz");
        browser.waitForText(By.id("org-matches"), "No organization in the directory matches “zzz”.");
    }

    @Test
    @Order(60)
    void anEditorSearchesTheDirectory_butHasNoUploadScreen() {
        browser.signIn(server.url(), editorToken);
        assertThat(browser.driver()
                        .findElement(By.cssSelector("[data-view=directory]"))
                        .isDisplayed())
                .isFalse();
        search("pied");
        browser.await(d -> matches().size() == 1);
        assertThat(matches()).containsExactly("Pied Piper — org_pied — Free");
        visible("org-search").sendKeys(Keys.ENTER);

        awaitResult("org_pied", "FREE");
        assertThat(text("org-directory")).isEqualTo("Plan from the directory: Free");
    }
}
