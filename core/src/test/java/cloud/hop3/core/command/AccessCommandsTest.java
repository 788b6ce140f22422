package cloud.hop3.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Command;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Every shell command asks the authorization service; the user commands are for admins, the token
 * commands for every role (the service leaves another user's tokens to admins).
 */
class AccessCommandsTest {

    @Test
    void everyCommandAsksTheAuthorizationServiceThroughGuardedAction() {
        List<String> unguarded = new ArrayList<>();
        int commands = 0;
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of("target", "classes"))) {
            if (c.isAnnotatedWith(Command.class)) {
                commands++;
                if (!c.isAssignableTo(GuardedAction.class)) {
                    unguarded.add(c.getName());
                }
            }
        }
        assertTrue(commands > 50, "found the commands: " + commands);
        assertEquals(List.of(), unguarded, "commands that would run without asking");
    }

    @Test
    void userCommandsAreForAdminsAndTokenCommandsForEveryRole() throws Exception {
        String features = Files.readString(Path.of("..", "features", "src", "main", "resources", "features.xml"));
        for (String scope : List.of("user", "token")) {
            Matcher acl = Pattern.compile("<config name=\"org.apache.karaf.command.acl." + scope + "\">(.*?)</config>", Pattern.DOTALL)
                    .matcher(features);
            assertTrue(acl.find(), "features.xml has the ACL of the " + scope + " scope");
            Map<String, String> lines = acl.group(1).lines().map(String::strip).filter(l -> !l.startsWith("#") && l.contains(" = "))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(" = ")), l -> l.substring(l.indexOf(" = ") + 3)));
            try (var files = Files.list(Path.of("src", "main", "java", "cloud", "hop3", "core", "command"))) {
                String prefix = scope.substring(0, 1).toUpperCase() + scope.substring(1);
                List<String> names = files.map(f -> f.getFileName().toString()).filter(f -> f.matches(prefix + "[A-Z].*Command\\.java"))
                        .map(f -> f.substring(prefix.length(), f.length() - "Command.java".length()).toLowerCase()).sorted().toList();
                assertEquals(names, lines.keySet().stream().sorted().toList(), scope + " commands and ACL lines");
            }
            String expected = scope.equals("user") ? "admin" : "admin, deployer, viewer";
            lines.forEach((command, roles) -> assertEquals(expected, roles, scope + ":" + command));
        }
    }
}
