package cloud.hop3.api.build;

/**
 * A build that failed, with a message for the user ("`npm ci` failed with exit status 1").
 */
public class BuildException extends Exception {

    private static final long serialVersionUID = 1L;

    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
