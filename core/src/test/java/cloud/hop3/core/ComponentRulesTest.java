package cloud.hop3.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Rules of core's components, read from the descriptors that bnd wrote into
 * {@code target/classes/OSGI-INF}: what SCR does with them is what a user meets, so the rules
 * hold on what SCR reads.
 */
class ComponentRulesTest {

    private static final Path DESCRIPTORS = Path.of("target", "classes", "OSGI-INF");
    private static final Pattern COMPONENT = Pattern.compile("<scr:component\\b[^>]*>");

    /**
     * A component configured by {@code cloud.hop3.core} without a modified method is
     * deactivated and activated again at every change of that configuration, and with it every
     * component that holds it: a change of the proxy then restarted the git server and the
     * process driver.
     */
    @Test
    void aChangeOfCoresConfigurationRestartsNoComponent() throws IOException {
        List<Path> descriptors = descriptors();
        assertFalse(descriptors.isEmpty(), "no descriptors in " + DESCRIPTORS.toAbsolutePath());
        List<String> restarting = new ArrayList<>();
        for (Path descriptor : descriptors) {
            Matcher m = COMPONENT.matcher(Files.readString(descriptor));
            if (m.find()) {
                String head = m.group();
                boolean ignoresConfiguration = head.contains("configuration-policy=\"ignore\"");
                if (!ignoresConfiguration && namesCore(head) && !head.contains("modified=")) {
                    restarting.add(descriptor.getFileName().toString());
                }
            }
        }
        assertEquals(List.of(), restarting, "components that a change of cloud.hop3.core restarts: give each a @Modified method");
    }

    /** Whether the component's configuration is core's (by its pid, or by its name when it has no pid). */
    private static boolean namesCore(String head) {
        Matcher pid = Pattern.compile("configuration-pid=\"([^\"]*)\"").matcher(head);
        if (pid.find()) {
            return List.of(pid.group(1).split("\\s+")).contains("cloud.hop3.core");
        }
        Matcher name = Pattern.compile("\\bname=\"([^\"]*)\"").matcher(head);
        return name.find() && name.group(1).equals("cloud.hop3.core");
    }

    private static List<Path> descriptors() throws IOException {
        try (Stream<Path> files = Files.list(DESCRIPTORS)) {
            return files.filter(f -> f.toString().endsWith(".xml")).sorted().toList();
        }
    }
}
