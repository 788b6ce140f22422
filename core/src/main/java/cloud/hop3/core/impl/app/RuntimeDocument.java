package cloud.hop3.core.impl.app;

import java.util.List;
import java.util.Map;

import cloud.hop3.api.build.HealthCheck;
import cloud.hop3.api.build.StaticMapping;

/**
 * How a release's slug runs, as the build and the app's manifest decided.
 *
 * @param processes      process type to command
 * @param env            environment from the builder and hop3.toml [env] (config vars come on top)
 * @param path           directories of the slug to put in front of PATH
 * @param statics        URL prefixes the proxy serves from the slug
 * @param healthCheck    how a new web process is checked; null for the default
 * @param releaseCommand run once per deploy before traffic switches; null for none
 * @param cron           scheduled commands, each "5 cron fields" and a command
 * @param limits         the limits the app declares for each of its processes, {@code key -> value}
 */
public record RuntimeDocument(Map<String, String> processes, Map<String, String> env, List<String> path,
                              List<StaticMapping> statics, HealthCheck healthCheck, String releaseCommand,
                              List<CronDocument> cron, Map<String, String> limits) {

    /** A runtime that declares no limits. */
    public RuntimeDocument(Map<String, String> processes, Map<String, String> env, List<String> path,
                           List<StaticMapping> statics, HealthCheck healthCheck, String releaseCommand,
                           List<CronDocument> cron) {
        this(processes, env, path, statics, healthCheck, releaseCommand, cron, Map.of());
    }

    public RuntimeDocument {
        processes = processes == null ? Map.of() : Map.copyOf(processes);
        env = env == null ? Map.of() : Map.copyOf(env);
        path = path == null ? List.of() : List.copyOf(path);
        statics = statics == null ? List.of() : List.copyOf(statics);
        cron = cron == null ? List.of() : List.copyOf(cron);
        limits = limits == null ? Map.of() : Map.copyOf(limits);
    }

    /**
     * A scheduled command.
     *
     * @param schedule the five cron fields
     * @param command  the command
     */
    public record CronDocument(String schedule, String command) {
    }
}
