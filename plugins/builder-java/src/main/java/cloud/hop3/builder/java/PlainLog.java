package cloud.hop3.builder.java;

import cloud.hop3.api.build.BuildLog;
import cloud.hop3.plugin.support.build.ForwardingBuildLog;

/**
 * A build log that passes a tool's lines on without terminal colour codes, and leaves out the
 * lines that held nothing else: some Maven packages print colour resets even in batch mode.
 */
final class PlainLog extends ForwardingBuildLog {

    PlainLog(BuildLog log) {
        super(log);
    }

    @Override
    public void info(String text) {
        String plain = BuildToolErrors.plain(text);
        if (!plain.isBlank() || text.isBlank()) {
            log.info(plain);
        }
    }

    @Override
    public void warn(String text) {
        log.warn(BuildToolErrors.plain(text));
    }
}
