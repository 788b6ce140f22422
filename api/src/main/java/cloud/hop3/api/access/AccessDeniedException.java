package cloud.hop3.api.access;

/**
 * Refusal of the authorization service: the actor may not do what it asked, or is unknown or
 * disabled. The message says who was refused what, and whom to ask.
 */
public class AccessDeniedException extends SecurityException {

    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(message);
    }
}
