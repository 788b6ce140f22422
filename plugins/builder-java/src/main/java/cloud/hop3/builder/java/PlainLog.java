package cloud.hop3.builder.java;

import cloud.hop3.api.build.BuildLog;

/**
 * A build log that passes a tool's lines on without terminal colour codes, and leaves out the
 * lines that held nothing else: some Maven packages print colour resets even in batch mode.
 */
final class PlainLog implements BuildLog {

    private final BuildLog log;

    PlainLog(BuildLog log) {
        this.log = log;
    }

    @Override
    public void step(String text) {
        log.step(text);
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
