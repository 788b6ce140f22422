package cloud.hop3.core.impl.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cloud.hop3.api.build.StaticMapping;

/**
 * What a Procfile declares, before it is merged with hop3.toml and app.json.
 *
 * @param processes     long-running process types to command lines, in file order
 * @param release       the {@code release:} (or Hop3's {@code prerun:}) command
 * @param cron          the {@code cron:} lines
 * @param statics       the {@code static:} directory, served at {@code /}
 * @param buildCommands Hop3's {@code prebuild:} then {@code postbuild:} commands
 */
record Procfile(Map<String, String> processes, Optional<String> release, List<CronEntry> cron,
                List<StaticMapping> statics, List<String> buildCommands) {

    Procfile {
        processes = Collections.unmodifiableMap(new LinkedHashMap<>(processes));
        cron = List.copyOf(cron);
        statics = List.copyOf(statics);
        buildCommands = List.copyOf(buildCommands);
    }
}
