package cloud.hop3.builder.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import cloud.hop3.api.build.BuildException;

/**
 * The facts this builder needs from an app's {@code package.json}: its scripts. Reading checks
 * what npm would choke on later, and says where: JSON syntax with line and column, a top level
 * that is not an object, {@code scripts} that is not an object of strings.
 *
 * @param scripts script name to command, in file order
 */
record PackageJson(Map<String, String> scripts) {

    static final String FILE_NAME = "package.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    PackageJson {
        scripts = Collections.unmodifiableMap(new LinkedHashMap<>(scripts));
    }

    /** The command of a script, when package.json has it. */
    Optional<String> script(String name) {
        return Optional.ofNullable(scripts.get(name));
    }

    /** Reads {@code package.json} at the top of {@code dir}. */
    static PackageJson read(Path dir) throws BuildException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(FILE_NAME));
        } catch (NoSuchFileException e) {
            throw new BuildException("The app has no package.json; add one (npm init) to build it as a Node.js app.", e);
        } catch (IOException e) {
            throw new BuildException("Could not read package.json: " + e.getMessage(), e);
        }
        return parse(bytes);
    }

    static PackageJson parse(byte[] bytes) throws BuildException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            throw new BuildException("package.json is not valid JSON" + at + ": " + firstLine(e.getOriginalMessage())
                    + ". Fix it (npm pkg fix, or any JSON validator) and push again.", e);
        } catch (IOException e) {
            throw new BuildException("Could not read package.json: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new BuildException("package.json is empty; it must hold a JSON object such as"
                    + " {\"name\": \"app\", \"scripts\": {\"start\": \"node server.js\"}}.");
        }
        if (!root.isObject()) {
            throw new BuildException("package.json must hold a JSON object, but it holds " + kind(root) + ".");
        }
        JsonNode scripts = root.get("scripts");
        if (scripts == null || scripts.isNull()) {
            return new PackageJson(Map.of());
        }
        if (!scripts.isObject()) {
            throw new BuildException("In package.json, \"scripts\" must be an object of script names and commands,"
                    + " but it is " + kind(scripts) + ".");
        }
        Map<String, String> commands = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> script : scripts.properties()) {
            if (!script.getValue().isTextual()) {
                throw new BuildException("In package.json, scripts." + script.getKey() + " must be a command (a string),"
                        + " but it is " + kind(script.getValue()) + ".");
            }
            commands.put(script.getKey(), script.getValue().asText());
        }
        return new PackageJson(commands);
    }

    private static String kind(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNull()) {
            return "null";
        }
        return "an object";
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
