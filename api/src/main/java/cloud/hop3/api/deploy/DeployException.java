package cloud.hop3.api.deploy;

/** A deploy that did not happen, with the reason for the user; the previous release still serves. */
public class DeployException extends Exception {

    private static final long serialVersionUID = 1L;

    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
