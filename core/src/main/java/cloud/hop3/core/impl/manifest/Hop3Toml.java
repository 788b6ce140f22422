package cloud.hop3.core.impl.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cloud.hop3.api.build.HealthCheck;
import cloud.hop3.api.build.StaticMapping;
import cloud.hop3.api.process.ResourceLimits;

/**
 * What a hop3.toml declares, before it is merged with the Procfile and app.json.
 *
 * @param processes     {@code [run] start} as {@code web}, then {@code [run.workers]}
 * @param release       {@code [run] before-run} (or {@code release})
 * @param cron          {@code [run.workers] cron}
 * @param statics       {@code [static]} then {@code [run.static]}
 * @param builder       {@code [build] toolchain} or {@code builder}, unless that is {@code auto} or {@code local}
 * @param env           {@code [env]}
 * @param healthCheck   {@code [healthcheck]}, or the older {@code [run] healthcheck}
 * @param buildCommands {@code [build] before-build}, {@code build} then {@code after-build}
 * @param scale         {@code [run.scale]}: initial process counts
 * @param scaleLines    the line of each {@code [run.scale]} entry, to report one that names no process
 * @param limits        {@code [run] memory}, {@code cpu}, {@code processes} and {@code files}
 * @param addons        {@code [[addons]]}
 * @param driver        {@code driver}: the name of the process driver the app runs on
 */
record Hop3Toml(Map<String, String> processes, Optional<String> release, List<CronEntry> cron,
                List<StaticMapping> statics, Optional<String> builder, Map<String, String> env,
                Optional<HealthCheck> healthCheck, List<String> buildCommands, Map<String, Integer> scale,
                Map<String, Integer> scaleLines, ResourceLimits limits, List<AddonDeclaration> addons,
                Optional<String> driver) {

    Hop3Toml {
        processes = Collections.unmodifiableMap(new LinkedHashMap<>(processes));
        cron = List.copyOf(cron);
        statics = List.copyOf(statics);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        buildCommands = List.copyOf(buildCommands);
        scale = Collections.unmodifiableMap(new LinkedHashMap<>(scale));
        scaleLines = Map.copyOf(scaleLines);
        limits = limits == null ? ResourceLimits.NONE : limits;
        addons = List.copyOf(addons);
        driver = driver == null ? Optional.empty() : driver;
    }
}
