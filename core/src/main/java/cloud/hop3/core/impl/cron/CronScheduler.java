package cloud.hop3.core.impl.cron;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.app.RuntimeDocument.CronDocument;
import cloud.hop3.core.impl.deploy.ReleaseRunner;
import cloud.hop3.core.impl.manifest.CronSchedule;

/**
 * Runs the {@code cron:} entries of every running app on schedule, in the server's time zone,
 * with the app's environment; their output goes to the app's logs ({@code cron.1}).
 */
@Component(immediate = true)
public class CronScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(CronScheduler.class);
    static final Duration RUN_LIMIT = Duration.ofHours(1);

    @Reference
    private AppCatalog apps;

    @Reference
    private ReleaseRunner runner;

    private final Clock clock = Clock.systemDefaultZone();
    private ScheduledExecutorService ticker;
    private ExecutorService jobs;

    @Activate
    void activate() {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hop3-cron"));
        jobs = Executors.newCachedThreadPool(r -> daemon(r, "hop3-cron-job"));
        ZonedDateTime now = ZonedDateTime.now(clock);
        long delay = Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1)).toMillis();
        ticker.scheduleAtFixedRate(this::tick, delay, TimeUnit.MINUTES.toMillis(1), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        ticker.shutdownNow();
        jobs.shutdownNow();
    }

    void tick() {
        ZonedDateTime minute = ZonedDateTime.now(clock).truncatedTo(ChronoUnit.MINUTES);
        try {
            for (AppInfo info : apps.list()) {
                AppDocument doc = apps.document(info.name());
                if (doc.stopped() || doc.current().isEmpty() || runner.servedWhole(doc)) {
                    continue; // a driver that took the release whole runs its cron entries itself
                }
                for (CronDocument entry : doc.current().get().runtime().cron()) {
                    if (due(entry.schedule(), minute)) {
                        jobs.execute(() -> run(info.name(), doc.current().get(), entry));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Cron tick failed: {}", e.toString());
        }
    }

    static boolean due(String schedule, ZonedDateTime minute) {
        return CronSchedule.parse(schedule).next(minute.minusMinutes(1)).equals(minute);
    }

    private void run(AppName app, ReleaseDocument release, CronDocument entry) {
        Path log = apps.directory(app).resolve("logs").resolve("cron.1.log");
        try {
            Files.createDirectories(log.getParent());
            ProcessLaunch launch = new ProcessLaunch(app, release.number(), "cron", 1, entry.command(),
                    runner.slug(app, release), runner.environment(app, release, "cron", 0), 0, runner.limits(app, release));
            try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(("[" + ZonedDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS) + "] cron: " + entry.command() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                int status = runner.driver(app).run(launch, out, RUN_LIMIT);
                out.write(("[exit status " + status + "]\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException | cloud.hop3.api.deploy.DeployException
                 | cloud.hop3.api.process.ProcessException e) {
            LOG.warn("App {}: cron entry '{}' failed: {}", app, entry.command(), e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
