package cloud.hop3.plugin.support.build;

import cloud.hop3.api.build.BuildLog;

/**
 * A build log that passes every line on to the build's log: the base of the logs that a builder
 * gives a tool to watch its output (count what it compiled or installed, keep a line, clean up
 * colours), which override the kinds of lines they look at.
 */
public class ForwardingBuildLog implements BuildLog {

    /** The build's log, where the lines go. */
    protected final BuildLog log;

    public ForwardingBuildLog(BuildLog log) {
        this.log = log;
    }

    @Override
    public void step(String text) {
        log.step(text);
    }

    @Override
    public void info(String text) {
        log.info(text);
    }

    @Override
    public void warn(String text) {
        log.warn(text);
    }
}
