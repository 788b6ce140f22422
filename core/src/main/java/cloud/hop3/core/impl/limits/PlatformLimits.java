package cloud.hop3.core.impl.limits;

import java.util.Map;
import java.util.function.Consumer;

import cloud.hop3.api.process.ResourceLimits;
import cloud.hop3.core.impl.platform.CoreConfig;

/**
 * The platform's default limits of app processes, from core's configuration
 * ({@code app.memory}, {@code app.cpu}, {@code app.processes}, {@code app.files}). A value that
 * is not valid is reported and left out; the others still apply.
 */
public final class PlatformLimits {

    private PlatformLimits() {
    }

    /**
     * The defaults that {@code config} sets.
     *
     * @param problems told each value that is not valid, as a sentence
     */
    public static ResourceLimits from(CoreConfig config, Consumer<String> problems) {
        Map<String, String> values = Map.of(ResourceLimits.MEMORY, config.app_memory(), ResourceLimits.CPU, config.app_cpu(),
                ResourceLimits.PROCESSES, config.app_processes(), ResourceLimits.FILES, config.app_files());
        ResourceLimits limits = ResourceLimits.NONE;
        for (String key : ResourceLimits.KEYS) {
            String value = values.get(key);
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                limits = limits.with(key, value);
            } catch (IllegalArgumentException e) {
                problems.accept("app." + key + " in " + CoreConfig.PID + " is ignored: " + e.getMessage() + ".");
            }
        }
        return limits;
    }
}
