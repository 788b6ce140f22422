package cloud.hop3.plugin.support.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void safeWordsStayAsTheyAreOthersAreSingleQuoted() throws Exception {
        Map<String, String> quoted = Map.of("/usr/bin/php8.2", "/usr/bin/php8.2",
                "target/demo-1.0+b=2:x@y%z.jar", "target/demo-1.0+b=2:x@y%z.jar",
                "/opt/my php/bin/php", "'/opt/my php/bin/php'",
                "it's", "'it'\\''s'",
                "", "''");
        quoted.forEach((word, expected) -> assertEquals(expected, ShellWords.quoted(word), word));
    }

    @Test
    void theShellReadsAQuotedWordBackAsItWas() throws Exception {
        for (String word : List.of("it's", "a b", "$HOME", "x;y", "a\"b", "back\\slash")) {
            Process sh = new ProcessBuilder("/bin/sh", "-c", "printf %s " + ShellWords.quoted(word)).start();
            assertEquals(word, new String(sh.getInputStream().readAllBytes()));
            assertEquals(0, sh.waitFor());
        }
    }
}
