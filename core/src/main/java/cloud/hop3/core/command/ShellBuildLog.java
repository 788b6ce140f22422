package cloud.hop3.core.command;

import java.io.PrintStream;

import cloud.hop3.api.build.BuildLog;

/** Shows the steps of a deploy, restart or scale in the shell, as git push shows them. */
final class ShellBuildLog implements BuildLog {

    private final PrintStream out;

    ShellBuildLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void step(String text) {
        out.println("-----> " + text);
    }

    @Override
    public void info(String text) {
        out.println("       " + text);
    }

    @Override
    public void warn(String text) {
        out.println(" !     " + text);
    }
}
