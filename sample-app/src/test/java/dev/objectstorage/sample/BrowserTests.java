package dev.objectstorage.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web page in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium): upload a file through the page, see it listed, download it through its link and
 * compare the bytes, delete it. {@code .ci/run} installs Chromium; on a machine without it this
 * class is skipped with a message saying so, unless {@code STORAGE_TEST_REQUIRE_SERVERS=true}
 * makes that a failure.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class BrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static Path root;

	@LocalServerPort
	int port;

	WebDriver driver;

	Path profile;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) throws Exception {
		root = Files.createTempDirectory("sample-browser");
		registry.add("storage.fs.root", () -> root.toString());
	}

	@AfterAll
	static void cleanUp() {
		FileSystemUtils.deleteRecursively(root.toFile());
	}

	@BeforeEach
	void startBrowser() throws Exception {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			String message = "Chromium is not installed: apt-get install chromium chromium-driver (.ci/run does)";
			if ("true".equalsIgnoreCase(System.getenv("STORAGE_TEST_REQUIRE_SERVERS"))) {
				throw new IllegalStateException(message);
			}
			Assumptions.abort(message);
		}
		this.profile = Files.createTempDirectory("chromium-profile");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
	}

	@AfterEach
	void stopBrowser() {
		if (this.driver != null) {
			this.driver.quit();
		}
		if (this.profile != null) {
			FileSystemUtils.deleteRecursively(this.profile.toFile());
		}
	}

	@Test
	void uploadListDownloadAndDeleteThroughThePage() throws Exception {
		byte[] data = new byte[300_000];
		new Random(7).nextBytes(data);
		Path upload = Files.createTempDirectory("browser-upload").resolve("photo 1.bin");
		Files.write(upload, data);
		String expectedSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));

		WebDriverWait wait = new WebDriverWait(this.driver, Duration.ofSeconds(30));
		this.driver.get("http://127.0.0.1:" + this.port + "/");
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("file-rows"), "No files yet."));

		WebElement input = this.driver.findElement(By.id("file-input"));
		input.sendKeys(upload.toAbsolutePath().toString());
		this.driver.findElement(By.id("upload-button")).click();
		wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".progress[data-status='201']")));
		WebElement link = wait.until(ExpectedConditions.presenceOfElementLocated(
				By.cssSelector("tr[data-path='photo 1.bin'] a.download")));
		assertThat(this.driver.findElement(By.cssSelector("tr[data-path='photo 1.bin']")).getText()).contains("293.0 KiB");
		assertThat(root.resolve("photo 1.bin")).hasBinaryContent(data);

		// download through the page's own link, inside the browser, and hash what arrived
		Object sha = ((JavascriptExecutor) this.driver).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch(arguments[0]).then((r) => r.arrayBuffer())
				  .then((b) => crypto.subtle.digest('SHA-256', b))
				  .then((h) => done(Array.from(new Uint8Array(h)).map((x) => x.toString(16).padStart(2, '0')).join('')))
				  .catch((e) => done('error: ' + e));
				""", link.getAttribute("href"));
		assertThat(sha).isEqualTo(expectedSha);

		this.driver.findElement(By.cssSelector("tr[data-path='photo 1.bin'] button.delete")).click();
		wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-path='photo 1.bin']")));
		assertThat(root.resolve("photo 1.bin")).doesNotExist();

		// the live panel shows the storage's figures from /actuator/storage
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("storage-info"), "fs"));
		assertThat(this.driver.findElement(By.id("stat-ops")).getText()).isNotEqualTo("–");
		FileSystemUtils.deleteRecursively(new File(upload.getParent().toString()));
	}


	@Test
	void liveChartDrawsTheBytesMovedThroughThePage() throws Exception {
		int size = 3 * 1024 * 1024;
		byte[] data = new byte[size];
		new Random(11).nextBytes(data);
		Path upload = Files.createTempDirectory("browser-chart").resolve("chart 3 MiB.bin");
		Files.write(upload, data);
		JavascriptExecutor js = (JavascriptExecutor) this.driver;
		// the same clock as the server's (one machine): only seconds from here on count, so bytes
		// other tests of this class moved earlier do not; a second's margin for the history's rule
		// that an event racing the turn of a second may count in the one before
		long since = (System.currentTimeMillis() / 1000) * 1000 - 1000;

		WebDriverWait wait = new WebDriverWait(this.driver, Duration.ofSeconds(30), Duration.ofMillis(200));
		this.driver.get("http://127.0.0.1:" + this.port + "/");
		WebElement chart = wait.until(ExpectedConditions.presenceOfElementLocated(
				By.cssSelector("#charts .storage-chart[data-updated]:not([data-updated='0'])")));
		String storage = chart.getAttribute("data-storage");
		assertThat(storage).isNotBlank();
		assertThat(this.driver.findElements(By.cssSelector("#charts .storage-chart"))).hasSize(1); // one storage

		WebElement input = this.driver.findElement(By.id("file-input"));
		input.sendKeys(upload.toAbsolutePath().toString());
		this.driver.findElement(By.id("upload-button")).click();
		wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".progress[data-status='201']")));
		WebElement link = wait.until(ExpectedConditions.presenceOfElementLocated(
				By.cssSelector("tr[data-path='chart 3 MiB.bin'] a.download")));

		// the chart shows the upload once its second has ended (a second or two; 30 s allowed)
		waitFor(wait, "the chart of '" + storage + "' to show " + size + " bytes written since " + since,
				() -> sumSince(chartOf(storage), "data-written-bytes", since) >= size);

		// download through the page's link, in the browser (a later second than the upload's); then ask
		// for a missing file: an error
		Object downloaded = js.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch(arguments[0], { cache: 'no-store' }).then((r) => r.arrayBuffer()).then((b) => done(b.byteLength))
				  .catch((e) => done('error: ' + e));
				""", link.getAttribute("href"));
		assertThat(downloaded).isEqualTo((long) size);
		Object missing = js.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch('/files/no-such-file.bin').then((r) => done(r.status)).catch((e) => done('error: ' + e));
				""");
		assertThat(missing).isEqualTo(404L);

		// the chart shows them once their seconds have ended
		waitFor(wait, "the chart of '" + storage + "' to show " + size + " bytes written and read and an error since "
				+ since, () -> {
					WebElement c = chartOf(storage);
					return sumSince(c, "data-written-bytes", since) >= size && sumSince(c, "data-read-bytes", since) >= size
							&& sumSince(c, "data-errors", since) >= 1;
				});
		// and the latency of that traffic once its 10 s interval has ended
		waitFor(wait, "a latency interval with this test's operations", () -> {
			WebElement c = chartOf(storage);
			long start = Long.parseLong(c.getAttribute("data-latency-start-epoch-millis"));
			long[] operations = series(c, "data-latency-operations");
			long[] p50 = series(c, "data-p50-millis", Double::parseDouble);
			for (int i = 0; i < operations.length; i++) {
				if (start + (i + 1) * 10_000L > since && operations[i] > 0 && p50[i] > 0) {
					return true;
				}
			}
			return false;
		});

		chart = chartOf(storage);
		long start = Long.parseLong(chart.getAttribute("data-start-epoch-millis"));
		long[] read = series(chart, "data-read-bytes");
		long[] written = series(chart, "data-written-bytes");
		assertThat(read).hasSameSizeAs(written).hasSizeBetween(1, 300);
		assertThat(Long.parseLong(chart.getAttribute("data-end-epoch-millis"))).isEqualTo(start + read.length * 1000L);
		assertThat(Arrays.stream(series(chart, "data-latency-operations")).sum()).isPositive();

		WebElement throughput = chart.findElement(By.cssSelector("svg.chart.throughput"));
		assertThat(throughput.getAttribute("role")).isEqualTo("img");
		assertThat(throughput.getAttribute("aria-label")).contains("Bytes read and written per second");
		String axes = throughput.getText();
		assertThat(axes).contains("B/s", "−5 min", "now", "time: the last 5 minutes");
		assertThat(axes).containsPattern("\\d+(\\.\\d+)? MiB/s"); // 3 MiB in one second (or two) puts the scale in MiB/s
		for (String line : List.of("read", "written")) {
			String points = chart.findElement(By.cssSelector("svg.throughput polyline.line." + line)).getAttribute("points");
			assertThat(points.trim().split("\\s+")).as("points of the %s line", line).hasSize(read.length);
		}
		assertThat(chart.findElements(By.cssSelector("svg.throughput rect.error-mark"))).isNotEmpty();
		WebElement latency = chart.findElement(By.cssSelector("svg.chart.latency"));
		assertThat(latency.getAttribute("role")).isEqualTo("img");
		assertThat(latency.getText()).contains(" ms", "now");
		assertThat(latency.findElement(By.cssSelector("path.line.p50")).getAttribute("d")).startsWith("M");
		assertThat(chart.findElement(By.cssSelector(".legend")).getText()).contains("Read", "Written", "Errors in 5 min",
				"Latency p50", "p99", "/s");
		assertThat(chart.findElement(By.cssSelector(".legend .errors .value")).getText()).isNotEqualTo("0");
		assertThat(this.driver.findElement(By.id("stat-ops")).getText()).isNotEqualTo("–");

		// it keeps refreshing, about every second
		int updated = Integer.parseInt(chart.getAttribute("data-updated"));
		waitFor(wait, "another refresh", () -> Integer.parseInt(chartOf(storage).getAttribute("data-updated")) > updated);

		long readBefore = sumSince(chartOf(storage), "data-read-bytes", since);
		// a few more reads (ranges of the file, through the page, not from the browser's cache) a second apart, paced by the chart's own
		// refreshes, so the screenshot shows some seconds of traffic; and one more error
		for (int kib : new int[] { 1024, 2560, 512, 1536, 3072, 768 }) {
			int before = Integer.parseInt(chartOf(storage).getAttribute("data-updated"));
			waitFor(wait, "a refresh", () -> Integer.parseInt(chartOf(storage).getAttribute("data-updated")) > before);
			Object status = js.executeAsyncScript("""
					const done = arguments[arguments.length - 1];
					fetch(arguments[0], { cache: 'no-store', headers: { Range: 'bytes=0-' + (arguments[1] * 1024 - 1) } })
					  .then((r) => r.arrayBuffer().then((b) => done(r.status + ' ' + b.byteLength)))
					  .catch((e) => done('error: ' + e));
					""", link.getAttribute("href"), kib);
			assertThat(status).isEqualTo("206 " + kib * 1024);
		}
		js.executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch('/files/still-missing.bin').then((r) => done(r.status)).catch((e) => done('error: ' + e));
				""");
		waitFor(wait, "the chart to show the ranges read", () -> sumSince(chartOf(storage), "data-read-bytes", since)
				>= readBefore + (1024 + 2560 + 512 + 1536 + 3072 + 768) * 1024L);
		screenshot();

		this.driver.findElement(By.cssSelector("tr[data-path='chart 3 MiB.bin'] button.delete")).click();
		wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-path='chart 3 MiB.bin']")));
		assertThat(root.resolve("chart 3 MiB.bin")).doesNotExist(); // the other tests start from an empty list
		FileSystemUtils.deleteRecursively(upload.getParent().toFile());
	}

	@Test
	void chartSaysWhenTheActuatorIsUnreachableAndResumes() {
		ChromiumDriver chromium = (ChromiumDriver) this.driver;
		WebDriverWait wait = new WebDriverWait(this.driver, Duration.ofSeconds(30), Duration.ofMillis(200));
		this.driver.get("http://127.0.0.1:" + this.port + "/");
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-status"), "Live"));
		chromium.executeCdpCommand("Network.enable", Map.of());
		chromium.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/actuator/*")));
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-status"), "Actuator not reachable"));
		assertThat(this.driver.findElement(By.id("storage-info")).getText()).isEqualTo("Actuator not reachable");
		wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".storage-chart.stale")));
		WebElement chart = this.driver.findElement(By.cssSelector(".storage-chart"));
		int before = Integer.parseInt(chart.getAttribute("data-updated"));

		chromium.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
		wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-status"), "Live"));
		waitFor(wait, "the chart to refresh again",
				() -> Integer.parseInt(this.driver.findElement(By.cssSelector(".storage-chart")).getAttribute("data-updated")) > before);
		assertThat(this.driver.findElements(By.cssSelector(".storage-chart.stale"))).isEmpty();
	}

	private WebElement chartOf(String storage) {
		return this.driver.findElement(By.cssSelector("#charts .storage-chart[data-storage='" + storage + "']"));
	}

	private static long[] series(WebElement chart, String attribute) {
		return series(chart, attribute, Long::parseLong);
	}

	/** A comma-separated series of a data attribute, each value rounded up to a whole number. */
	private static long[] series(WebElement chart, String attribute, ToDoubleFunction<String> parse) {
		String csv = chart.getAttribute(attribute);
		return (csv == null || csv.isEmpty()) ? new long[0]
				: Arrays.stream(csv.split(",")).mapToLong((v) -> (long) Math.ceil(parse.applyAsDouble(v))).toArray();
	}

	/** The sum of a per-second series over the seconds that began at or after {@code since}. */
	private static long sumSince(WebElement chart, String attribute, long since) {
		long start = Long.parseLong(chart.getAttribute("data-start-epoch-millis"));
		long[] values = series(chart, attribute);
		long sum = 0;
		for (int i = 0; i < values.length; i++) {
			if (start + i * 1000L >= since) {
				sum += values[i];
			}
		}
		return sum;
	}

	private void waitFor(WebDriverWait wait, String what, BooleanSupplier condition) {
		wait.withMessage(() -> what + "; the charts: " + this.driver.findElements(By.cssSelector(".storage-chart"))
			.stream()
			.map((c) -> c.getAttribute("data-storage") + " start " + c.getAttribute("data-start-epoch-millis") + " read ["
					+ c.getAttribute("data-read-bytes") + "] written [" + c.getAttribute("data-written-bytes") + "] errors ["
					+ c.getAttribute("data-errors") + "] latency operations [" + c.getAttribute("data-latency-operations")
					+ "] updated " + c.getAttribute("data-updated"))
			.toList()).until((driver) -> condition.getAsBoolean());
	}

	/**
	 * The page at 1200 x 1000 CSS pixels, scrolled to the chart, into
	 * {@code target/screenshots/sample-page.png}; with {@code -Dscreenshot.update=true} into
	 * {@code docs/sample-page.png} too.
	 */
	private void screenshot() throws Exception {
		ChromiumDriver chromium = (ChromiumDriver) this.driver;
		chromium.executeCdpCommand("Emulation.setDeviceMetricsOverride",
				Map.of("width", 1200, "height", 1000, "deviceScaleFactor", 1, "mobile", false));
		((JavascriptExecutor) this.driver).executeScript("""
				const live = document.getElementById('live');
				window.scrollTo(0, Math.max(0, live.getBoundingClientRect().bottom + window.scrollY - window.innerHeight + 16));
				""");
		int updated = Integer.parseInt(this.driver.findElement(By.cssSelector(".storage-chart")).getAttribute("data-updated"));
		// one more refresh, so the chart is drawn at the new size
		waitFor(new WebDriverWait(this.driver, Duration.ofSeconds(30), Duration.ofMillis(100)), "a refresh",
				() -> Integer.parseInt(this.driver.findElement(By.cssSelector(".storage-chart")).getAttribute("data-updated")) > updated);
		byte[] png = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.BYTES);
		Path target = Path.of("target", "screenshots", "sample-page.png");
		Files.createDirectories(target.getParent());
		Files.write(target, png);
		if (Boolean.getBoolean("screenshot.update")) {
			Path dir = Path.of("").toAbsolutePath();
			while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
				dir = dir.getParent();
			}
			assertThat(dir).as("the project's root (where mvnw is)").isNotNull();
			Files.createDirectories(dir.resolve("docs"));
			Files.copy(target, dir.resolve("docs").resolve("sample-page.png"), StandardCopyOption.REPLACE_EXISTING);
		}
	}

	@Test
	void storedFilesCannotCallTheApi() throws Exception {
		Files.writeString(root.resolve("victim.txt"), "keep me");
		String script = "fetch('/files/victim.txt', {method: 'DELETE'}); "
				+ "fetch('/files/pwned.txt', {method: 'PUT', body: 'x'}); document.title = 'pwned';";
		org.springframework.web.reactive.function.client.WebClient client = org.springframework.web.reactive.function.client.WebClient
			.create("http://127.0.0.1:" + this.port);
		for (String[] planted : new String[][] { { "planted.html", "text/html", "<html><body><script>" + script + "</script></body></html>" },
				{ "planted.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'><script>" + script + "</script></svg>" },
				{ "notes.txt", "text/plain", "plain text, shown inline" } }) {
			client.put().uri("/files/" + planted[0]).header("Content-Type", planted[1]).bodyValue(planted[2])
				.retrieve().toBodilessEntity().block(Duration.ofSeconds(30));
		}
		// opening the planted page or image: they are downloads, not documents of the app's origin
		this.driver.get("http://127.0.0.1:" + this.port + "/files/planted.html");
		this.driver.get("http://127.0.0.1:" + this.port + "/files/planted.svg");
		// a file shown inline is sandboxed: even a script run in its document (as WebDriver can) is of
		// an opaque origin, and the app refuses its requests
		this.driver.get("http://127.0.0.1:" + this.port + "/files/notes.txt");
		Object answer = ((JavascriptExecutor) this.driver).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch('/files/victim.txt', {method: 'DELETE'}).then((r) => done('status ' + r.status))
				  .catch((e) => done('refused: ' + e));
				""");
		assertThat(String.valueOf(answer)).doesNotContain("status 204");
		// back on the page, the app's own origin lists what is there
		this.driver.get("http://127.0.0.1:" + this.port + "/");
		Object listing = ((JavascriptExecutor) this.driver).executeAsyncScript("""
				const done = arguments[arguments.length - 1];
				fetch('/files').then((r) => r.text()).then(done).catch((e) => done('error: ' + e));
				""");
		assertThat(String.valueOf(listing)).contains("victim.txt").doesNotContain("pwned.txt");
		assertThat(root.resolve("victim.txt")).hasContent("keep me");
		assertThat(root.resolve("pwned.txt")).doesNotExist();
		for (String name : new String[] { "victim.txt", "planted.html", "planted.svg", "notes.txt" }) {
			Files.deleteIfExists(root.resolve(name)); // the other test starts from an empty list
		}
	}

}
