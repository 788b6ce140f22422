package cloud.hop3.api.build;

import java.util.List;

/**
 * A build that failed, with a message for the user ("`npm ci` failed with exit status 1").
 * When a tool failed, {@link #output()} holds its last lines of output, so that a builder can
 * pick the tool's own reason out of them.
 */
public class BuildException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> output;

    public BuildException(String message) {
        this(message, List.of());
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
        this.output = List.of();
    }

    /**
     * @param message for the user
     * @param output  the last lines of output of the tool that failed, oldest first
     */
    public BuildException(String message, List<String> output) {
        super(message);
        this.output = List.copyOf(output);
    }

    /** The last lines of output of the tool that failed, oldest first; empty when no tool ran. */
    public List<String> output() {
        return output;
    }
}
