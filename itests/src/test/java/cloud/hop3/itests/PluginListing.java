package cloud.hop3.itests;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads the output of {@code plugin:list --no-format}: one row per line, cells separated by tabs.
 * Karaf's table pads cells to the width of their column even without format, so cells are
 * stripped.
 */
final class PluginListing {

    private PluginListing() {
    }

    /** The cells of the row for one plugin (kind, name, bundle [id], version, state, in use), if listed. */
    static Optional<List<String>> row(String output, String kind, String name) {
        return output.lines()
                .map(line -> Arrays.stream(line.split("\t")).map(String::strip).collect(Collectors.toList()))
                .filter(cells -> cells.size() >= 2 && cells.get(0).equals(kind) && cells.get(1).equals(name))
                .findFirst();
    }
}
