package cloud.hop3.core.impl.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import cloud.hop3.api.build.BuildLog;

/**
 * Sends build output to the {@code git push} client as it happens; git shows each line as
 * {@code remote: ...}. A client that went away does not stop the deploy.
 */
final class SidebandBuildLog implements BuildLog {

    private final OutputStream out;
    private volatile boolean broken;

    SidebandBuildLog(OutputStream out) {
        this.out = out;
    }

    @Override
    public void step(String text) {
        line("-----> " + text);
    }

    @Override
    public void info(String text) {
        line("       " + text);
    }

    @Override
    public void warn(String text) {
        line(" !     " + text);
    }

    private synchronized void line(String text) {
        if (broken || out == null) {
            return;
        }
        try {
            out.write((text.replace('\r', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            broken = true;
        }
    }
}
