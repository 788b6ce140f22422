package cloud.hop3.api.build;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to run a slug.
 *
 * @param processes   process type to command line that the builder proposes when the app does
 *                    not say ({@code web: npm start}); the app's Procfile and hop3.toml win
 * @param env         environment the builder adds (for example {@code VIRTUAL_ENV})
 * @param path        directories, relative to the slug, to put in front of {@code PATH}
 * @param statics     URL paths served as files by the proxy, without an app process
 * @param healthCheck how to tell that a new web process is ready, if the app says
 */
public record RuntimeSpec(Map<String, String> processes, Map<String, String> env, List<String> path,
                          List<StaticMapping> statics, Optional<HealthCheck> healthCheck) {

    public RuntimeSpec {
        processes = Map.copyOf(processes);
        env = Map.copyOf(env);
        path = List.copyOf(path);
        statics = List.copyOf(statics);
    }
}
