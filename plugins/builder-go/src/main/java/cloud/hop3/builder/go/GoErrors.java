package cloud.hop3.builder.go;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import cloud.hop3.api.build.BuildException;
import cloud.hop3.plugin.support.build.BuildEnvironment;

/**
 * Turns a failed {@code go build} into a message for the pusher, from the go command's last lines
 * of output: the compiler's own lines when the code does not compile, what to do when a module
 * cannot be downloaded, and a plain word when the app has nothing to run.
 */
final class GoErrors {

    static final int MAX_LINES = 10;
    private static final String DOWNLOADING = "go: downloading ";

    /** A compiler (or go command) message about a place in a file: {@code ./main.go:4:2: undefined: x}. */
    private static final Pattern POSITION = Pattern.compile("^\\S+\\.(go|mod|sum|s|c):\\d+(:\\d+)?: .*");
    private static final Pattern MODULE_LOOKUP = Pattern.compile(".*(GOPROXY=off|module lookup disabled"
            + "|cannot find module providing package|missing go\\.sum entry|no required module provides package"
            + "|dial tcp|connection refused|no such host|i/o timeout).*");

    private GoErrors() {
    }

    /**
     * @param failure  what running {@code go build} threw
     * @param buildDir the directory go ran in; it is left out of paths in the message
     * @param proxy    the GOPROXY the build used
     */
    static BuildException explain(BuildException failure, String buildDir, String proxy) {
        List<String> output = new ArrayList<>();
        for (String line : failure.output()) {
            output.add(line.replace(buildDir + "/", "").stripTrailing());
        }
        if (output.stream().anyMatch(line -> line.contains("no main packages to build"))) {
            return new BuildException("The app has no main package: go build found no package main with a func main"
                    + " in the module, so there is nothing to run. Put the app's main package at the top of the"
                    + " repository, or under cmd/<name>.", failure);
        }
        List<String> modules = output.stream().filter(line -> MODULE_LOOKUP.matcher(line).matches()).toList();
        if (!modules.isEmpty()) {
            String hint = "off".equals(proxy)
                    ? " Downloading modules is off (GOPROXY=off): vendor them (go mod vendor, and commit vendor/),"
                    + " or set the app's GOPROXY config var to a module proxy (for example https://proxy.golang.org)."
                    : " The module proxy is " + BuildEnvironment.redacted(proxy) + " (the GOPROXY config var changes it).";
            List<String> wanted = output.stream().filter(line -> line.startsWith(DOWNLOADING))
                    .map(line -> line.substring(DOWNLOADING.length()).strip()).distinct().toList();
            String which = wanted.isEmpty() ? "" : " (" + String.join(", ", wanted) + ")";
            return new BuildException("go could not get the modules the app needs" + which + ": " + modules.get(0) + "."
                    + hint + more(modules), failure);
        }
        List<String> compiler = compilerLines(output);
        if (!compiler.isEmpty()) {
            return new BuildException("The Go code does not compile: " + compiler.get(0) + more(compiler), failure);
        }
        List<String> go = output.stream().filter(line -> line.startsWith("go: ")).toList();
        if (!go.isEmpty()) {
            return new BuildException("go build failed: " + go.get(0).substring(4) + more(go), failure);
        }
        return failure;
    }

    /** The lines about places in files, each with the tab-indented lines that continue it. */
    static List<String> compilerLines(List<String> output) {
        List<String> lines = new ArrayList<>();
        boolean inMessage = false;
        for (String line : output) {
            if (POSITION.matcher(line).matches()) {
                lines.add(line);
                inMessage = true;
            } else if (inMessage && line.startsWith("\t")) {
                lines.add("    " + line.strip());
            } else {
                inMessage = false;
            }
            if (lines.size() == MAX_LINES) {
                break;
            }
        }
        return lines;
    }

    private static String more(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines.subList(1, Math.min(lines.size(), MAX_LINES))) {
            text.append("\n  ").append(line);
        }
        return text.toString();
    }
}
