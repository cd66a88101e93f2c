package dev.objectstorage.sample;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web page in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium): upload a file through the page, see it listed, download it through its link and
 * compare the bytes, delete it. {@code .ci/run} installs Chromium; on a machine without it this
 * class is skipped with a message saying so.
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
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"Chromium is not installed: apt-get install chromium chromium-driver (.ci/run does)");
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
