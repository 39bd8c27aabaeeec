package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A person signs in to the dashboard with their company account in a real browser: the sign-in screen offers the
 * provider, the provider (mock-oauth2-server on another origin) sends the browser back, the callback's page moves on
 * to the dashboard with the Strict session cookie, the top bar names the person, their override edit is theirs in the
 * History, and signing out ends the session. Screenshots {@code sign-in-oidc.png} and {@code signed-in-person.png}.
 */
class OidcBrowserTest {
    private static MockOAuth2Server provider;
    private static TollgateServer server;
    private static Browser chrome;

    @BeforeAll
    static void start() {
        Browser.requireBrowser();
        provider = new MockOAuth2Server();
        provider.start();
        server = TollgateServer.start(OidcSignInTest.config(provider).build());
        assertThat(TestServers.admin(server)
                        .put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"")
                        .status())
                .isEqualTo(200);
        chrome = Browser.open();
    }

    @AfterAll
    static void stop() {
        if (chrome != null) {
            chrome.close();
        }
        if (server != null) {
            server.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
    }

    @Test
    void aPersonSignsInWithTheCompanyAccount_editsAnOverride_isNamedInHistory_andSignsOut() {
        chrome.driver().get(server.url() + "/");
        WebElement sso = chrome.visible(By.id("sso-link"));
        assertThat(sso.getText()).isEqualTo("Sign in with Acme SSO");
        assertThat(chrome.visible(By.id("token")).isDisplayed())
                .as("the token form stays")
                .isTrue();
        chrome.screenshot("sign-in-oidc");
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(
                OidcSignInTest.ISSUER_ID,
                "ana-sub",
                "JWT",
                List.of(),
                Map.of("name", "Ana Silva", "email", "ana@example.com", "groups", List.of("tollgate-admins")),
                3600));

        sso.click();

        chrome.waitForText(By.id("who"), "Ana Silva");
        assertThat(chrome.visible(By.id("role")).getText()).isEqualTo("admin");
        assertThat(chrome.driver().getCurrentUrl()).isEqualTo(server.url() + "/");
        setOverride("org_42", "50", "trial for Ana's customer");
        chrome.tab("history");
        chrome.waitForText(By.cssSelector("#revisions tbody tr:first-child"), "Ana Silva <ana@example.com>");
        assertThat(chrome.visible(By.cssSelector("#revisions tbody tr:first-child"))
                        .getText())
                .contains("trial for Ana's customer");
        chrome.screenshot("signed-in-person");

        chrome.driver().findElement(By.id("signout")).click();

        chrome.visible(By.id("sso-link"));
        assertThat(chrome.driver().manage().getCookieNamed("tollgate-session"))
                .as("the session cookie is cleared")
                .isNull();
        chrome.driver().navigate().refresh();
        assertThat(chrome.visible(By.id("sso-link")).isDisplayed())
                .as("after a reload, still signed out")
                .isTrue();
        assertThat(chrome.driver().findElement(By.id("session")).isDisplayed()).isFalse();
    }

    private static void setOverride(String org, String value, String message) {
        chrome.tab("org");
        WebElement key = chrome.visible(By.id("org-key"));
        key.sendKeys(org);
        new Select(chrome.driver().findElement(By.id("ctx-context-organization-plan"))).selectByValue("PRO");
        chrome.driver()
                .findElement(By.cssSelector("#org-form button[type=submit]"))
                .click();
        chrome.waitForText(By.cssSelector("#org-result h3"), org);
        chrome.visible(By.cssSelector("#entitlements tr[data-field='entitlements.maxTeamSize'] [data-action=set]"))
                .click();
        WebElement input = chrome.visible(By.id("override-value"));
        input.clear();
        input.sendKeys(value);
        chrome.driver().findElement(By.id("override-message")).sendKeys(message);
        chrome.driver().findElement(By.id("dialog-ok")).click();
        chrome.visible(By.id("confirm-summary"));
        chrome.driver().findElement(By.id("dialog-ok")).click();
        chrome.await(d -> d.findElement(By.cssSelector("#entitlements td.value[data-field='entitlements.maxTeamSize']"))
                .getText()
                .equals(value));
    }
}
