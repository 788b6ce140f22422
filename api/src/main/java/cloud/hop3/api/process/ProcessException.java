package cloud.hop3.api.process;

/** A process that could not be started, with a message for the user. */
public class ProcessException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProcessException(String message) {
        super(message);
    }

    public ProcessException(String message, Throwable cause) {
        super(message, cause);
    }
}
