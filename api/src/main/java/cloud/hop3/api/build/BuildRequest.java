package cloud.hop3.api.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import cloud.hop3.api.app.AppName;

/**
 * One build, prepared by core.
 *
 * @param app            the app being built
 * @param source         the checked-out source tree, in a fresh build directory (read only)
 * @param slugDirectory  the slug: it starts as a second checkout of the source (without
 *                       {@code .git}); the builder adds what the app needs to run (a virtualenv,
 *                       {@code node_modules}, a built jar) or replaces its content. Processes run
 *                       with it as their working directory.
 * @param cacheDirectory a directory kept between builds of this app (dependency caches)
 * @param env            the app's config vars, for builders that read them (package indexes)
 * @param timeout        how long the build may take before it is killed
 */
public record BuildRequest(AppName app, Path source, Path slugDirectory, Path cacheDirectory,
                           Map<String, String> env, Duration timeout) {

    public BuildRequest {
        env = Map.copyOf(env);
    }
}
