package cloud.hop3.core.impl.secret;

/** A sealed value that cannot be opened: altered, moved, or sealed with a key the keyring lacks. */
public final class SealingException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    SealingException(String message, Throwable cause) {
        super(message, cause);
    }
}
