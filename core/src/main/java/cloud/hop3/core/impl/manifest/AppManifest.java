package cloud.hop3.core.impl.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import cloud.hop3.api.build.HealthCheck;
import cloud.hop3.api.build.StaticMapping;
import cloud.hop3.api.process.ResourceLimits;

/**
 * What an app declares about itself in its Procfile, hop3.toml and app.json, merged with the
 * precedence hop3.toml &gt; Procfile &gt; app.json &gt; defaults (see {@link ManifestParser}).
 * Maps keep the order in which the app declared their entries.
 *
 * @param processes      long-running process types and their command lines: {@code web},
 *                       {@code worker} and any other name (never {@code release}, {@code cron}
 *                       or {@code static}, which have fields of their own)
 * @param releaseCommand run once per deploy, before the new release takes traffic (database
 *                       migrations): Procfile {@code release:}, hop3.toml {@code [run] before-run}
 * @param cron           scheduled commands
 * @param statics        URL prefixes served as files by the proxy; Procfile {@code static: dir}
 *                       is {@code "/" -> dir}
 * @param builder        the builder the app asks for by name ({@code python}, {@code static}, ...),
 *                       empty to let detection choose
 * @param env            environment variables the app declares (config vars set with
 *                       {@code app:config-set} are applied on top by the pipeline)
 * @param healthCheck    how to tell that a new web process is ready; empty when the app does not
 *                       say, and the pipeline then only requires the web process to accept HTTP
 *                       on {@code $PORT}
 * @param buildCommands  shell commands the app runs during its build, in order
 * @param formation      initial number of processes per process type, one entry per process type
 * @param limits         what each process of the app may use (hop3.toml {@code [run] memory}, ...)
 * @param addons         the add-ons the app needs: hop3.toml {@code [[addons]]}, else app.json {@code addons}
 * @param driver         the process driver the app asks for by name (hop3.toml {@code driver}),
 *                       empty to keep the app's
 */
public record AppManifest(
        Map<String, String> processes,
        Optional<String> releaseCommand,
        List<CronEntry> cron,
        List<StaticMapping> statics,
        Optional<String> builder,
        Map<String, String> env,
        Optional<HealthCheck> healthCheck,
        List<String> buildCommands,
        Map<String, Integer> formation,
        ResourceLimits limits,
        List<AddonDeclaration> addons,
        Optional<String> driver) {

    public AppManifest {
        processes = ordered(processes);
        Objects.requireNonNull(releaseCommand, "releaseCommand");
        cron = List.copyOf(cron);
        statics = List.copyOf(statics);
        Objects.requireNonNull(builder, "builder");
        env = ordered(env);
        Objects.requireNonNull(healthCheck, "healthCheck");
        buildCommands = List.copyOf(buildCommands);
        formation = ordered(formation);
        limits = limits == null ? ResourceLimits.NONE : limits;
        addons = addons == null ? List.of() : List.copyOf(addons);
        driver = driver == null ? Optional.empty() : driver;
    }

    /** A manifest that names no process driver. */
    public AppManifest(Map<String, String> processes, Optional<String> releaseCommand, List<CronEntry> cron,
                       List<StaticMapping> statics, Optional<String> builder, Map<String, String> env,
                       Optional<HealthCheck> healthCheck, List<String> buildCommands, Map<String, Integer> formation,
                       ResourceLimits limits, List<AddonDeclaration> addons) {
        this(processes, releaseCommand, cron, statics, builder, env, healthCheck, buildCommands, formation, limits, addons,
                Optional.empty());
    }

    /** A manifest that declares no add-ons. */
    public AppManifest(Map<String, String> processes, Optional<String> releaseCommand, List<CronEntry> cron,
                       List<StaticMapping> statics, Optional<String> builder, Map<String, String> env,
                       Optional<HealthCheck> healthCheck, List<String> buildCommands, Map<String, Integer> formation,
                       ResourceLimits limits) {
        this(processes, releaseCommand, cron, statics, builder, env, healthCheck, buildCommands, formation, limits, List.of());
    }

    /** A manifest without limits. */
    public AppManifest(Map<String, String> processes, Optional<String> releaseCommand, List<CronEntry> cron,
                       List<StaticMapping> statics, Optional<String> builder, Map<String, String> env,
                       Optional<HealthCheck> healthCheck, List<String> buildCommands, Map<String, Integer> formation) {
        this(processes, releaseCommand, cron, statics, builder, env, healthCheck, buildCommands, formation, ResourceLimits.NONE);
    }

    /** The manifest of a source tree that declares nothing: no processes at all. */
    public static AppManifest empty() {
        return new AppManifest(Map.of(), Optional.empty(), List.of(), List.of(), Optional.empty(), Map.of(),
                Optional.empty(), List.of(), Map.of());
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        Map<String, V> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v)));
        return Collections.unmodifiableMap(copy);
    }
}
