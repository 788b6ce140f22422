package cloud.hop3.api.app;

import java.util.Map;
import java.util.TreeMap;

/**
 * How many processes of each type an app runs, for example {@code web=2 worker=1}.
 *
 * @param counts process type to count; types with a count of 0 are kept (they are scaled down)
 */
public record Formation(Map<String, Integer> counts) {

    public Formation {
        TreeMap<String, Integer> copy = new TreeMap<>();
        counts.forEach((type, count) -> {
            if (count == null || count < 0) {
                throw new IllegalArgumentException("Process count for '" + type + "' must be 0 or more.");
            }
            copy.put(type, count);
        });
        counts = Map.copyOf(copy);
    }

    /** An empty formation: nothing runs. */
    public static Formation none() {
        return new Formation(Map.of());
    }

    /** The count for a process type, 0 when the type is not in the formation. */
    public int count(String type) {
        return counts.getOrDefault(type, 0);
    }
}
