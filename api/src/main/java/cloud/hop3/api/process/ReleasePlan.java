package cloud.hop3.api.process;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.TlsCertificate;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link ReleaseDriver} needs to put one release of an app into service.
 *
 * @param app            the app
 * @param release        the release number
 * @param runtime        the name of the builder that built the slug ({@code python}, {@code node},
 *                       {@code static}...): what the processes need to run, for a driver that
 *                       picks a runtime image by it
 * @param processes      process type to command line, run by {@code /bin/sh -c} in the unpacked slug
 * @param formation      how many processes of each type run; types with a count of 0 run none
 * @param env            the environment of every process: the app's config vars and what the
 *                       builder adds, without {@code PORT} (the driver sets it for web processes);
 *                       its paths ({@code PATH}, {@code HOME}, {@code DATA_DIR}) are those of the
 *                       slug unpacked in {@link #SLUG_ROOT}
 * @param slug           where the slug (a gzip-compressed tar) is fetched from, over HTTP(S)
 * @param slugToken      the bearer token that fetches this release's slug, and nothing else
 * @param health         how to tell that a web process is ready: the HTTP path requested, and the
 *                       text its answer must hold (empty for any 2xx or 3xx answer)
 * @param hosts          the host names the app's web processes answer, empty for none
 * @param certificate    the certificate of those host names, null for none
 * @param cron           commands run on a schedule
 * @param releaseCommand run once, to success, before the release's processes start; null for none
 * @param limits         what each process may use
 * @param deadline       how long the release may take to serve before {@link ReleaseDriver#apply}
 *                       gives up and keeps the previous release
 */
public record ReleasePlan(AppName app, int release, String runtime, Map<String, String> processes, Formation formation,
                          Map<String, String> env, URI slug, String slugToken, Health health, List<HostName> hosts,
                          TlsCertificate certificate, List<Cron> cron, String releaseCommand, ResourceLimits limits,
                          Duration deadline) {

    /**
     * Where a driver unpacks the slug for the processes: the directory they start in, and the one
     * the paths of {@link #env} point in (its data in {@code /app/data}).
     */
    public static final String SLUG_ROOT = "/app";

    public ReleasePlan {
        Objects.requireNonNull(app, "app");
        if (release < 1) {
            throw new IllegalArgumentException("A release number starts at 1, not " + release + ".");
        }
        Objects.requireNonNull(runtime, "runtime");
        processes = Map.copyOf(processes);
        Objects.requireNonNull(formation, "formation");
        env = Map.copyOf(env);
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(slugToken, "slugToken");
        health = health == null ? Health.ANY : health;
        hosts = List.copyOf(hosts);
        cron = List.copyOf(cron);
        limits = limits == null ? ResourceLimits.NONE : limits;
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("A release's deadline must be positive, not " + deadline + ".");
        }
    }

    /**
     * How a web process shows that it is ready.
     *
     * @param path            the HTTP path requested on the process's {@code PORT}
     * @param expectedContent text the answer must hold; empty for any 2xx or 3xx answer
     */
    public record Health(String path, String expectedContent) {

        /** Any 2xx or 3xx answer to {@code /}. */
        public static final Health ANY = new Health("/", "");

        public Health {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("A health check path starts with /, not " + path + ".");
            }
            expectedContent = expectedContent == null ? "" : expectedContent;
        }
    }

    /**
     * A command run on a schedule.
     *
     * @param schedule the five fields of a crontab line, in UTC
     * @param command  the command line, run by {@code /bin/sh -c} in the unpacked slug
     */
    public record Cron(String schedule, String command) {

        public Cron {
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(command, "command");
        }
    }
}
