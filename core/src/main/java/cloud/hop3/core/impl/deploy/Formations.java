package cloud.hop3.core.impl.deploy;

import java.util.Map;
import java.util.stream.Collectors;

/** Formats process counts as users write them: {@code web=2 worker=1}. */
final class Formations {

    private Formations() {
    }

    static String describe(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
