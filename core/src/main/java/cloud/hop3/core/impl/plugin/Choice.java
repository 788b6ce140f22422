package cloud.hop3.core.impl.plugin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the plugin in use where one must be chosen: the one whose name property equals the
 * configured name, or, when nothing is configured, the one with the highest service ranking.
 * Works on DS "tuple" references, which SCR keeps sorted by ranking, lowest first.
 */
public final class Choice {

    private Choice() {
    }

    public static <T> Optional<T> pick(List<Map.Entry<Map<String, Object>, T>> candidates, String nameProperty,
                                       String configuredName) {
        if (configuredName == null || configuredName.isBlank()) {
            return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(candidates.size() - 1).getValue());
        }
        for (int i = candidates.size() - 1; i >= 0; i--) {
            if (configuredName.equals(String.valueOf(candidates.get(i).getKey().get(nameProperty)))) {
                return Optional.of(candidates.get(i).getValue());
            }
        }
        return Optional.empty();
    }
}
