package cloud.hop3.builder.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import cloud.hop3.api.build.BuildException;
import cloud.hop3.plugin.testkit.TestFiles;

class InterpreterTest {

    @Test
    void theBuildersConfigurationIsTheDefault() throws BuildException {
        assertEquals(new Interpreter("python3", "the builder's configuration"),
                Interpreter.choose(Map.of(), Optional.empty(), "python3"));
    }

    @ParameterizedTest
    @CsvSource({
        "3, python3",
        "3.12, python3.12",
        "3.12.1, python3.12",
        "python3.11, python3.11",
        "pypy3, pypy3",
        "' 3.10 ', python3.10",
    })
    void hop3PythonTakesACommandOrAVersion(String value, String command) throws BuildException {
        assertEquals(command, Interpreter.choose(Map.of("HOP3_PYTHON", value), Optional.empty(), "python3").command());
    }

    @Test
    void hop3PythonWinsOverPythonVersionWhichWinsOverRuntimeTxt() throws BuildException {
        Map<String, String> both = Map.of("HOP3_PYTHON", "3.13", "PYTHON_VERSION", "3.12");
        assertEquals(new Interpreter("python3.13", "the config var HOP3_PYTHON=3.13"),
                Interpreter.choose(both, Optional.of("3.11.7"), "python3"));
        assertEquals(new Interpreter("python3.12", "the config var PYTHON_VERSION=3.12"),
                Interpreter.choose(Map.of("PYTHON_VERSION", "3.12"), Optional.of("3.11.7"), "python3"));
        assertEquals(new Interpreter("python3.11", "runtime.txt (python-3.11.7)"),
                Interpreter.choose(Map.of(), Optional.of("3.11.7"), "python3"));
    }

    @Test
    void appsCannotNamePathsOrOtherPythons() {
        BuildException path = assertThrows(BuildException.class,
                () -> Interpreter.choose(Map.of("HOP3_PYTHON", "/tmp/evil"), Optional.empty(), "python3"));
        assertEquals("The config var HOP3_PYTHON is '/tmp/evil', which names no Python 3 interpreter; set it to a"
                + " version such as 3.12 or a command such as python3.12 or pypy3.", path.getMessage());

        BuildException two = assertThrows(BuildException.class,
                () -> Interpreter.choose(Map.of("PYTHON_VERSION", "2.7"), Optional.empty(), "python3"));
        assertEquals("The config var PYTHON_VERSION is '2.7', which is not a Python 3 version; set it to a version"
                + " such as 3.12.", two.getMessage());

        BuildException runtime = assertThrows(BuildException.class,
                () -> Interpreter.choose(Map.of(), Optional.of("latest"), "python3"));
        assertEquals("runtime.txt asks for python-latest, which is not a Python 3 version; write a version such as"
                + " python-3.12 in it.", runtime.getMessage());
    }

    @Test
    void locatesOnTheSearchPath(@TempDir Path tmp) throws IOException, BuildException {
        Path bin = tmp.resolve("bin");
        Path python = TestFiles.executable(bin.resolve("python3.42"), "#!/bin/sh\n");

        Interpreter interpreter = new Interpreter("python3.42", "the config var PYTHON_VERSION=3.42");
        assertEquals(python, interpreter.locate("/nowhere:" + bin));

        BuildException e = assertThrows(BuildException.class, () -> interpreter.locate("/usr/bin:/bin"));
        assertEquals("python3.42, chosen by the config var PYTHON_VERSION=3.42, is not installed on this server's"
                + " search path (/usr/bin:/bin); choose an installed version, or install it on the server (on Debian"
                + " and Ubuntu: apt-get install python3.42 python3.42-venv).", e.getMessage());
    }
}
