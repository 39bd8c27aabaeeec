package dev.tollgate.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for the dashboard's browser tests: Debian's {@code chromium}, driven through the system
 * {@code chromedriver}, with a profile of its own that {@link #close()} deletes. Each browser test class opens one and
 * uses its waits, which ignore elements the page replaced while it was being read.
 */
final class Browser implements AutoCloseable {
    /** Debian's paths; {@code -Dtollgate.chromium} and {@code -Dtollgate.chromedriver} name others. */
    static final Path CHROMIUM = Path.of(System.getProperty("tollgate.chromium", "/usr/bin/chromium"));

    static final Path CHROMEDRIVER = Path.of(System.getProperty("tollgate.chromedriver", "/usr/bin/chromedriver"));

    /**
     * Screenshots go to {@code target/screenshots}; {@code -Dtollgate.screenshots=../docs/screenshots} refreshes the ones
     * the docs show, so that ordinary test runs leave the working tree alone.
     */
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."))
            .resolve(System.getProperty("tollgate.screenshots", "target/screenshots"));

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final Path profile;
    private final ChromeDriver driver;

    private Browser(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    /** A browser whose pages read the wall clock as it is. */
    static Browser open() {
        return open(Duration.ZERO);
    }

    /**
     * A browser whose pages' {@code Date.now()} and {@code new Date()} read the wall clock moved by {@code dateShift},
     * so that a page agrees with a server started on a shifted {@link java.time.Clock}.
     */
    static Browser open(Duration dateShift) {
        requireBrowser();
        Path profile;
        try {
            profile = Files.createTempDirectory("tollgate-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                // The zone the page names in times ("12:00 PM UTC"), whatever the machine's.
                .withEnvironment(Map.of("TZ", "UTC"))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options(profile));
        if (!dateShift.isZero()) {
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", shiftedDate(dateShift)));
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return new Browser(profile, driver);
    }

    private static ChromeOptions options(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,900",
                "--user-data-dir=" + profile);
        return options;
    }

    /** Fails, never skips, without the browser: CI must install it. */
    static void requireBrowser() {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new AssertionError("The dashboard's browser tests need Debian's chromium and chromium-driver ("
                        + binary + " is missing): apt-get install -y chromium chromium-driver");
            }
        }
    }

    /**
     * A script that runs before any of a page's own: {@code Date.now()} and {@code new Date()} read the wall clock
     * moved by {@code shift}, like the server's clock; a {@code Date} of a given instant stays that instant.
     */
    static String shiftedDate(Duration shift) {
        return "(() => {"
                + " const Real = Date;"
                + " const shift = " + shift.toMillis() + ";"
                + " function Shifted(...args) {"
                + "  if (!new.target) return new Real(Real.now() + shift).toString();"
                + "  return args.length ? new Real(...args) : new Real(Real.now() + shift);"
                + " }"
                + " Shifted.prototype = Real.prototype;"
                + " Shifted.now = () => Real.now() + shift;"
                + " Shifted.parse = Real.parse;"
                + " Shifted.UTC = Real.UTC;"
                + " globalThis.Date = Shifted;"
                + "})();";
    }

    WebDriver driver() {
        return driver;
    }

    /** Runs {@code script} in the page and answers what it returns. */
    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits up to five seconds for {@code condition} to answer something other than null or false. */
    <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /** The one element {@code by} finds, once it is displayed. */
    WebElement visible(By by) {
        return await(d -> {
            List<WebElement> found = d.findElements(by);
            return found.size() == 1 && found.get(0).isDisplayed() ? found.get(0) : null;
        });
    }

    /** Waits for an element {@code by} finds to contain {@code text}. */
    void waitForText(By by, String text) {
        await(d -> d.findElements(by).stream().anyMatch(e -> e.getText().contains(text)));
    }

    /** Saves the page as {@code <name>.png} in {@link #SCREENSHOTS}. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the dashboard at {@code serverUrl} afresh and signs in with {@code token}; returns once the role shows. */
    void signIn(String serverUrl, String token) {
        driver.get(serverUrl + "/");
        driver.manage().deleteAllCookies();
        script("sessionStorage.clear()");
        driver.navigate().refresh();
        visible(By.id("token")).sendKeys(token);
        driver.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        visible(By.id("role"));
    }

    /** Switches the dashboard to {@code view} (its {@code data-view}) and waits for it to show. */
    void tab(String view) {
        driver.findElement(By.cssSelector("[data-view=" + view + "]")).click();
        await(d -> d.findElement(By.id("view-" + view)).isDisplayed());
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
