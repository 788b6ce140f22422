package cloud.hop3.builder.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class BuildToolErrorsTest {

    static final String SLUG = "/srv/hop3/apps/shop/releases/3/slug";

    @Test
    void compilerErrorsOfMavenComeFirstRelativeToTheApp() {
        List<String> output = List.of(
                "\u001B[0m\u001B[0m[ERROR] COMPILATION ERROR : ",
                "[ERROR] " + SLUG + "/src/main/java/demo/Hello.java:[6,23] ';' expected",
                "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.1:compile"
                        + " (default-compile) on project hello: Compilation failure",
                "[ERROR] " + SLUG + "/src/main/java/demo/Hello.java:[6,23] ';' expected",
                "[ERROR] -> [Help 1]",
                "[ERROR] ",
                "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
                "[ERROR] Re-run Maven using the -X switch to enable full debug logging.",
                "[ERROR] For more information about the errors and possible solutions, please read the following articles:",
                "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException",
                "\u001B[0m\u001B[0m");

        assertEquals(List.of("src/main/java/demo/Hello.java:6:23: ';' expected"), BuildToolErrors.reasons(output, SLUG));
    }

    @Test
    void otherMavenErrorsAreItsErrorLinesWithoutThePointersToHelp() {
        List<String> output = List.of(
                "[ERROR] Failed to execute goal on project shop: Could not resolve dependencies for project"
                        + " demo:shop:jar:1.0: Could not find artifact org.example:nothing:jar:9.9 in central"
                        + " (https://repo.maven.apache.org/maven2) -> [Help 1]",
                "[ERROR] ",
                "[ERROR] Re-run Maven using the -X switch to enable full debug logging.",
                "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/DependencyResolutionException");

        assertEquals(List.of("Failed to execute goal on project shop: Could not resolve dependencies for project"
                + " demo:shop:jar:1.0: Could not find artifact org.example:nothing:jar:9.9 in central"
                + " (https://repo.maven.apache.org/maven2)"), BuildToolErrors.reasons(output, SLUG));
    }

    @Test
    void gradleSaysWhatWentWrong() {
        List<String> output = List.of(
                SLUG + "/src/main/java/demo/App.java:5: error: cannot find symbol",
                "        Strin name = \"x\";",
                "        ^",
                "1 error",
                "",
                "FAILURE: Build failed with an exception.",
                "",
                "* What went wrong:",
                "Execution failed for task ':compileJava'.",
                "> Compilation failed; see the compiler error output for details.",
                "",
                "* Try:");

        assertEquals(List.of("src/main/java/demo/App.java:5: cannot find symbol"), BuildToolErrors.reasons(output, SLUG));
        assertEquals(List.of("Execution failed for task ':compileJava'.",
                "Compilation failed; see the compiler error output for details."),
                BuildToolErrors.reasons(output.subList(4, output.size()), SLUG));
    }

    @Test
    void nothingRecognisableGivesNoReason() {
        assertEquals(List.of(), BuildToolErrors.reasons(List.of("Killed", "exit"), SLUG));
        assertEquals("[INFO] ok", BuildToolErrors.plain("\u001B[1;34m[INFO]\u001B[m ok"));
    }
}
