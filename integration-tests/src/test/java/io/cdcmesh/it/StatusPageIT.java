package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.Ports;
import io.cdcmesh.servers.WorkDir;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code cdc-mesh run} with its status port on, while MySQL 8 changes flow into two Elasticsearch sinks: the health
 * and Prometheus endpoints report the pipeline, and the live page, loaded in headless Chromium, draws a throughput and
 * a freshness line per sink. The screenshot stays in target/testkit/status-page/status.png.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class})
class StatusPageIT {
    private static final String DB = "status_it";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work = WorkDir.fresh("status-page");
    private final HttpClient http = HttpClient.newHttpClient();
    private ManagedProcess runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void healthMetricsAndTheLivePageReportEverySink(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        mysql.recreateDatabase(DB);
        mysql.execute(DB, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100))",
                "CREATE TABLE budgets (id INT PRIMARY KEY, amount DECIMAL(12,2))");
        int port = Ports.freePort();
        Path pipeline = pipeline(mysql, es, port);
        runtime = CdcMeshRuntime.start("cdc-mesh-status", work, work.resolve("run.log"), Map.of(), "run", pipeline.toString());
        String base = "http://127.0.0.1:" + port;
        Await.until(Duration.ofSeconds(90), "the status port to answer", () -> status(base + "/health") == 200);

        // 40 rows every 100 ms, on a schedule, until ten one-second samples show records flowing through both sinks.
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger id = new AtomicInteger();
        try (Connection c = mysql.connect(DB); Statement s = c.createStatement()) {
            writer.scheduleAtFixedRate(() -> write(s, id), 0, 100, TimeUnit.MILLISECONDS);
            Await.until(Duration.ofSeconds(90), "ten samples of both sinks moving", () -> movingSamples(base) >= 10);
        } finally {
            writer.shutdown();
            writer.awaitTermination(30, TimeUnit.SECONDS);
        }

        JsonNode health = JSON.readTree(get(base + "/health"));
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("sinks").path("search").asText()).isEqualTo("UP");
        assertThat(health.path("sinks").path("titles").asText()).isEqualTo("UP");

        String metrics = get(base + "/metrics");
        assertThat(metrics).contains("# TYPE cdcmesh_source_events_total counter")
                .containsPattern("cdcmesh_source_events_total\\{source=\"studio\"} [1-9]\\d*")
                .containsPattern("cdcmesh_sink_records_durable_total\\{sink=\"search\"} [1-9]\\d*")
                .containsPattern("cdcmesh_sink_records_durable_total\\{sink=\"titles\"} [1-9]\\d*")
                .containsPattern("cdcmesh_elasticsearch_sink_task_freshness_p50_ms\\{connector=\"search\",task=\"0\"} \\d+")
                // The freshness histograms moved with the steady workload: every change took some time to its ack.
                .containsPattern("cdcmesh_elasticsearch_sink_task_freshness_p99_ms\\{connector=\"search\",task=\"0\"} [1-9]\\d*")
                .containsPattern("cdcmesh_elasticsearch_sink_task_freshness_p99_ms\\{connector=\"titles\",task=\"0\"} [1-9]\\d*")
                .containsPattern("cdcmesh_elasticsearch_sink_task_documents_indexed\\{connector=\"titles\",task=\"0\"} [1-9]\\d*")
                .contains("cdcmesh_up{source=\"studio\"} 1")
                .containsPattern("cdcmesh_jvm_heap_used_bytes [1-9]\\d*")
                .containsPattern("cdcmesh_jvm_heap_after_gc_bytes \\d+")
                .containsPattern("cdcmesh_jvm_heap_max_bytes [1-9]\\d*");

        String chromium = chromium();
        Path profile = Files.createDirectories(work.resolve("chromium-profile"));
        String dom = run(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
                "--virtual-time-budget=5000", "--dump-dom", base + "/"));
        assertThat(dom).contains("events captured").contains("class=\"up\"").contains("<th>position regressions</th>");
        // Stale skips and position regressions per sink, as the sinks' MBeans count them: none in a steady stream.
        JsonNode search = sink(JSON.readTree(get(base + "/api/status")), "search");
        assertThat(search.path("staleSkips").isNumber()).as("search's stale skips: " + search).isTrue();
        assertThat(search.path("positionRegressions").asDouble(-1)).as("search's position regressions").isZero();
        assertThat(dom).as("no warning of positions that went back").contains("<div id=\"regressions\"></div>");
        assertThat(dom).containsPattern("<polyline[^>]*data-sink=\"search\"").containsPattern("<polyline[^>]*data-sink=\"titles\"");
        assertThat(dom.split("<polyline", -1).length - 1).as("lines drawn: throughput and freshness per sink").isEqualTo(4);

        Path screenshot = work.resolve("status.png");
        run(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--window-size=1280,760", "--virtual-time-budget=5000", "--screenshot=" + screenshot, base + "/"));
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        Set<Integer> colors = new HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 4) {
            for (int y = 0; y < image.getHeight(); y += 4) {
                colors.add(image.getRGB(x, y));
            }
        }
        assertThat(colors).as("distinct colours in the screenshot (a blank page has one)").hasSizeGreaterThan(20);
        // The series colours of the two sinks are on the page.
        assertThat(colors.stream().anyMatch(c -> near(c, 0x0969da))).as("the first sink's blue line").isTrue();
        assertThat(colors.stream().anyMatch(c -> near(c, 0xbf3989))).as("the second sink's magenta line").isTrue();
    }

    private static boolean near(int rgb, int target) {
        int dr = ((rgb >> 16) & 0xff) - ((target >> 16) & 0xff);
        int dg = ((rgb >> 8) & 0xff) - ((target >> 8) & 0xff);
        int db = (rgb & 0xff) - (target & 0xff);
        return Math.abs(dr) < 24 && Math.abs(dg) < 24 && Math.abs(db) < 24;
    }

    private static JsonNode sink(JsonNode status, String name) {
        for (JsonNode sink : status.path("sinks")) {
            if (sink.path("name").asText().equals(name)) {
                return sink;
            }
        }
        throw new AssertionError("no sink " + name + " in " + status);
    }

    /** Samples in which both sinks made records durable. */
    private int movingSamples(String base) {
        try {
            int moving = 0;
            for (JsonNode sample : JSON.readTree(get(base + "/api/status")).path("series")) {
                if (sample.path("sinks").path("search").path("rate").asDouble() > 0
                        && sample.path("sinks").path("titles").path("rate").asDouble() > 0) {
                    moving++;
                }
            }
            return moving;
        } catch (Exception e) {
            return 0;
        }
    }

    private static void write(Statement s, AtomicInteger id) {
        try {
            for (int i = 0; i < 20; i++) {
                int next = id.incrementAndGet();
                s.addBatch("INSERT INTO titles VALUES (" + next + ", 'Title " + next + "')");
                s.addBatch("INSERT INTO budgets VALUES (" + next + ", " + (next * 10) + ".50)");
            }
            s.executeBatch();
        } catch (Exception e) {
            throw new IllegalStateException("writer failed", e);
        }
    }

    private static String chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("chromium is not installed; scripts/install-deps.sh installs Debian's chromium");
    }

    private String run(List<String> command) throws Exception {
        Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(false)
                .redirectOutput(out.toFile()).redirectError(work.resolve("chromium.err").toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 90 s");
        }
        assertThat(process.exitValue()).as("chromium exit code; see " + work.resolve("chromium.err")).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private Path pipeline(MySqlServer mysql, ElasticsearchServer es, int port) throws Exception {
        Map<String, String> runtimeSettings = new LinkedHashMap<>();
        runtimeSettings.put("data.dir", work.resolve("state").toString());
        runtimeSettings.put("status.port", Integer.toString(port));
        Map<String, String> source = Pipelines.mysqlSource(mysql, DB);
        Map<String, String> search = Pipelines.elasticsearchSink(es, DB);
        Map<String, String> titles = new LinkedHashMap<>(search);
        titles.remove("topics.regex");
        titles.put("topics", "studio." + DB + ".titles");
        titles.put("index.name.pattern", "titles-copy");
        Map<String, Map<String, String>> sinks = new LinkedHashMap<>();
        sinks.put("search", search);
        sinks.put("titles", titles);
        return CdcMeshRuntime.writePipeline(work.resolve("pipeline.json"), runtimeSettings, "studio", source, sinks);
    }
}
