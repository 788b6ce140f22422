package cloud.hop3.api.app;

import java.util.Map;
import java.util.TreeMap;

/**
 * How many processes of each type an app runs, for example {@code web=2 worker=1}: the one place
 * that bounds a process count. Every front end (the Procfile's and hop3.toml's {@code scale},
 * app.json's {@code formation}, {@code app:scale}) builds a formation, so an app can
 * never declare a count that another door then refuses.
 *
 * @param counts process type to count, from 0 to {@value #MAX_PER_TYPE}; each type is a valid
 *               {@link ProcessType}; types with a count of 0 are kept (they are scaled down)
 */
public record Formation(Map<String, Integer> counts) {

    /** The most processes of one type an app may run on this platform. */
    public static final int MAX_PER_TYPE = 100;

    /** @throws IllegalArgumentException with a message a user can act on */
    public Formation {
        TreeMap<String, Integer> copy = new TreeMap<>();
        counts.forEach((type, count) -> {
            String problem = ProcessType.problem(type);
            if (problem != null) {
                throw new IllegalArgumentException("Invalid formation: " + problem + ".");
            }
            checkCount(type, count);
            copy.put(type, count);
        });
        counts = Map.copyOf(copy);
    }

    /**
     * Checks one count.
     *
     * @throws IllegalArgumentException when it is not from 0 to {@value #MAX_PER_TYPE}
     */
    public static int checkCount(String type, Integer count) {
        if (count == null || count < 0 || count > MAX_PER_TYPE) {
            throw new IllegalArgumentException("The number of '" + type + "' processes is from 0 to " + MAX_PER_TYPE
                    + ", not " + count + ".");
        }
        return count;
    }

    /** An empty formation: nothing runs. */
    public static Formation none() {
        return new Formation(Map.of());
    }

    /** The count for a process type, 0 when the type is not in the formation. */
    public int count(String type) {
        return counts.getOrDefault(type, 0);
    }

    /** This formation with {@code type} set to {@code count}. */
    public Formation with(ProcessType type, int count) {
        TreeMap<String, Integer> copy = new TreeMap<>(counts);
        copy.put(type.value(), count);
        return new Formation(copy);
    }
}
