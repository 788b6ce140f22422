package cloud.hop3.builder.go;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.BuildException;

class GoErrorsTest {

    static final String DIR = "/srv/hop3/apps/shop/cache/go/app";

    @Test
    void compilerLinesWithTheirContinuationsAndNoBuildDirectory() {
        BuildException e = explain(List.of("# example.com/shop", "./main.go:4:2: undefined: nope",
                "./main.go:9:14: cannot use x (variable of type int) as type string in argument to f",
                "\thave (int)", "\twant (string)", DIR + "/go.mod:3: unknown directive: requires"), "off");

        assertEquals("The Go code does not compile: ./main.go:4:2: undefined: nope\n"
                + "  ./main.go:9:14: cannot use x (variable of type int) as type string in argument to f\n"
                + "      have (int)\n      want (string)\n  go.mod:3: unknown directive: requires", e.getMessage());
    }

    @Test
    void atMostTenLines() {
        List<String> output = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            output.add("./main.go:" + i + ":1: undefined: x" + i);
        }
        assertEquals(10, explain(output, "off").getMessage().lines().count());
    }

    @Test
    void modulesThatCannotBeDownloadedSayWhatToDo() {
        List<String> output = List.of("go: downloading github.com/nobody/nothing v1.2.3",
                "main.go:2:8: module lookup disabled by GOPROXY=off");

        assertEquals("go could not get the modules the app needs (github.com/nobody/nothing v1.2.3): main.go:2:8:"
                + " module lookup disabled by GOPROXY=off."
                + " Downloading modules is off (GOPROXY=off): vendor them (go mod vendor, and commit vendor/), or set the"
                + " app's GOPROXY config var to a module proxy (for example https://proxy.golang.org).",
                explain(output, "off").getMessage());
        assertEquals("go could not get the modules the app needs: main.go:2:8: github.com/x/y@v1.0.0: Get"
                + " \"https://p.example.org/github.com/x/y/@v/v1.0.0.zip\": dial tcp: lookup p.example.org: no such host."
                + " The module proxy is https://****@p.example.org (the GOPROXY config var changes it).",
                explain(List.of("main.go:2:8: github.com/x/y@v1.0.0: Get \"https://p.example.org/github.com/x/y/@v/v1.0.0.zip\":"
                        + " dial tcp: lookup p.example.org: no such host"), "https://u:p@p.example.org").getMessage());
    }

    @Test
    void noMainPackage() {
        assertEquals("The app has no main package: go build found no package main with a func main in the module, so"
                + " there is nothing to run. Put the app's main package at the top of the repository, or under"
                + " cmd/<name>.", explain(List.of("go: no main packages to build"), "off").getMessage());
    }

    @Test
    void otherGoCommandErrorsAndUnknownOnes() {
        assertEquals("go build failed: go.mod requires go >= 1.22 (running go 1.19)",
                explain(List.of("go: go.mod requires go >= 1.22 (running go 1.19)"), "off").getMessage());
        BuildException unknown = new BuildException("`go build` failed with exit status 2", List.of("segmentation fault"));
        assertSame(unknown, GoErrors.explain(unknown, DIR, "off"));
    }

    static BuildException explain(List<String> output, String proxy) {
        return GoErrors.explain(new BuildException("`go build -v` failed with exit status 1", output), DIR, proxy);
    }
}
