package cloud.hop3.builder.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import cloud.hop3.api.build.BuildException;

class PackageJsonTest {

    static PackageJson parse(String text) throws BuildException {
        return PackageJson.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static String problem(String text) {
        return assertThrows(BuildException.class, () -> parse(text)).getMessage();
    }

    @Test
    void readsScriptsInOrder() throws BuildException {
        PackageJson json = parse("{\"name\": \"demo\", \"scripts\": {\"start\": \"node .\", \"build\": \"vite build\"}}");

        assertEquals(Map.of("start", "node .", "build", "vite build"), json.scripts());
        assertEquals(Optional.of("vite build"), json.script("build"));
        assertEquals(Optional.empty(), json.script("test"));
    }

    @Test
    void noScriptsIsFine() throws BuildException {
        assertEquals(Map.of(), parse("{\"name\": \"demo\"}").scripts());
        assertEquals(Map.of(), parse("{\"scripts\": null}").scripts());
    }

    @Test
    void syntaxErrorsSayWhere() {
        assertEquals("package.json is not valid JSON at line 2, column 3: Unexpected character ('}' (code 125)):"
                + " was expecting double-quote to start field name. Fix it (npm pkg fix, or any JSON validator) and"
                + " push again.", problem("{\"name\": \"demo\",\n  }"));
        assertEquals(true, problem("{\"name\": \"demo\"} {}").startsWith("package.json is not valid JSON at line 1"));
        assertEquals(true, problem("{\"name\": ").startsWith("package.json is not valid JSON at line 1"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''| package.json is empty; it must hold a JSON object such as {\"name\": \"app\", \"scripts\": {\"start\": \"node server.js\"}}.",
        "[1, 2]| package.json must hold a JSON object, but it holds an array.",
        "{\"scripts\": [\"build\"]}| In package.json, \"scripts\" must be an object of script names and commands, but it is an array.",
        "{\"scripts\": {\"build\": 42}}| In package.json, scripts.build must be a command (a string), but it is a number.",
    })
    void wrongShapesAreNamed(String text, String message) {
        assertEquals(message, problem(text));
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        BuildException e = assertThrows(BuildException.class, () -> PackageJson.read(dir));

        assertEquals("The app has no package.json; add one (npm init) to build it as a Node.js app.", e.getMessage());
    }
}
