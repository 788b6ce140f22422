package cloud.hop3.core.impl.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import cloud.hop3.core.impl.app.ReleaseDocument;

/**
 * The environment a process of a release gets, in layers, each overriding the one before:
 * the platform's variables, what the builder and hop3.toml [env] set, then the app's config vars.
 */
final class ProcessEnvironment {

    static final String SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

    private ProcessEnvironment() {
    }

    static Map<String, String> of(String app, ReleaseDocument release, Path appDirectory, Path slug, String type, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        Path data = appDirectory.resolve("data");
        env.put("APP", app);
        env.put("HOP3_APP", app);
        env.put("HOP3_RELEASE", String.valueOf(release.number()));
        env.put("HOP3_PROCESS_TYPE", type);
        env.put("DATA_DIR", data.toString());
        env.put("HOME", data.toString());
        env.put("LANG", "C.UTF-8");
        StringBuilder path = new StringBuilder();
        for (String p : release.runtime().path()) {
            path.append(slug.resolve(p).normalize()).append(':');
        }
        env.put("PATH", path + SYSTEM_PATH);
        env.putAll(release.runtime().env());
        env.putAll(release.config());
        if (port > 0) {
            env.put("PORT", String.valueOf(port));
        } else {
            env.remove("PORT");
        }
        return env;
    }
}
