package cloud.hop3.api.app;

/**
 * A change to an app or a command in it that did not happen, with a reason the user can act on
 * (no process driver installed, the proxy refused the new routes, a one-off command could not be
 * launched or did not end in time).
 */
public class AppException extends Exception {

    private static final long serialVersionUID = 1L;

    public AppException(String message) {
        super(message);
    }

    public AppException(String message, Throwable cause) {
        super(message, cause);
    }
}
