package pm.monitor.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
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
 * A real headless Chromium driven through chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}; nothing is downloaded). With no browser on the machine the calling
 * test is skipped with a message saying what to install, unless {@code MONITOR_REQUIRE_BROWSER=1}
 * (CI), where a missing browser is a failure.
 */
public final class Browser implements AutoCloseable {
    private static final List<String> BINARIES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;
    private final Path downloads;

    private Browser(ChromeDriver driver, Path profile, Path downloads) {
        this.driver = driver;
        this.profile = profile;
        this.downloads = downloads;
    }

    private static String find(String env, List<String> candidates) {
        String configured = System.getenv(env);
        if (configured != null && !configured.isBlank()) {
            return Files.isExecutable(Path.of(configured)) ? configured : null;
        }
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    /** Why there is no browser to test with, or null when there is one. */
    public static String missing() {
        String binary = find("MONITOR_CHROMIUM", BINARIES);
        String chromedriver = find("MONITOR_CHROMEDRIVER", DRIVERS);
        if (binary != null && chromedriver != null) {
            return null;
        }
        return "no headless browser: " + (binary == null ? "chromium not found (" + BINARIES + ", or "
                + "MONITOR_CHROMIUM)" : "") + (binary == null && chromedriver == null ? "; " : "")
                + (chromedriver == null ? "chromedriver not found (" + DRIVERS + ", or MONITOR_CHROMEDRIVER)" : "")
                + ". Install them with: apt-get install -y chromium chromium-driver";
    }

    /**
     * Skips the calling test when there is no browser, saying what to install; with
     * {@code MONITOR_REQUIRE_BROWSER=1} fails it instead.
     */
    public static void require() {
        String message = missing();
        if (message == null) {
            return;
        }
        if ("1".equals(System.getenv("MONITOR_REQUIRE_BROWSER"))) {
            Assertions.fail(message + " (MONITOR_REQUIRE_BROWSER=1: the browser tests must run)");
        }
        Assumptions.abort(message);
    }

    public static Browser start() {
        require();
        String binary = find("MONITOR_CHROMIUM", BINARIES);
        String chromedriver = find("MONITOR_CHROMEDRIVER", DRIVERS);
        try {
            Path profile = Files.createTempDirectory("pm-chromium-profile");
            Path downloads = Files.createTempDirectory("pm-chromium-downloads");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(binary);
            // The flags this machine needs (machines/java-maven-svc.md): no sandbox as root, and no
            // background connections, which the closed network refuses.
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1500,1000", "--lang=zh-CN");
            Map<String, Object> prefs = new HashMap<>();
            prefs.put("download.default_directory", downloads.toString());
            prefs.put("download.prompt_for_download", false);
            options.setExperimentalOption("prefs", prefs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
            return new Browser(driver, profile, downloads);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public Path downloads() {
        return downloads;
    }

    public void open(String url) {
        driver.get(url);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for the condition (polling, no fixed sleeps) and returns its value. */
    public <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(20));
        wait.withMessage(what);
        // A view that redraws (live updates) replaces its elements; a condition that read one
        // just before is asked again rather than failing the test.
        wait.ignoring(StaleElementReferenceException.class);
        return wait.until(condition);
    }

    public WebElement awaitElement(String css, Duration timeout) {
        return await(css, timeout, d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    /** A browser at a size the dashboard is checked at: {@code "phone"} ({@link #phone}), else a desktop's ({@link #desktop}). */
    public static Browser start(String size) {
        Browser b = start();
        if (size.equals("phone")) {
            b.phone();
        } else {
            b.desktop();
        }
        return b;
    }

    /** Makes the window a desktop's: 1440 × 900. */
    public void desktop() {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 900));
    }

    /** Makes the page a phone's (390 × 844 CSS pixels, touch, mobile layout), as Chrome's device mode does. */
    public void phone() {
        ((ChromeDriver) driver).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
    }

    /** Saves a PNG of the window under {@code engine/target/screenshots/}. */
    public Path screenshot(String name) {
        try {
            Path dir = Path.of("engine/target/screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A full-page screenshot: the window is made as tall as the page first. */
    public Path fullScreenshot(String name) {
        Number height = (Number) js("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)");
        var size = driver.manage().window().getSize();
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(size.getWidth(),
                Math.min(6000, Math.max(size.getHeight(), height.intValue() + 40))));
        try {
            return screenshot(name);
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    @Override
    public void close() {
        driver.quit();
        delete(profile);
        delete(downloads);
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
