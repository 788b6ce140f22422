package cloud.hop3.api.addon;

/**
 * Draft, not implemented: the failure of an add-on operation, with the reason. Nothing throws it
 * yet; see the {@linkplain cloud.hop3.api.addon package} description.
 */
public class AddonException extends Exception {

    private static final long serialVersionUID = 1L;

    public AddonException(String message) {
        super(message);
    }

    public AddonException(String message, Throwable cause) {
        super(message, cause);
    }
}
