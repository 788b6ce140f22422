package cloud.hop3.api.addon;

/** An add-on operation that failed, with the reason. */
public class AddonException extends Exception {

    private static final long serialVersionUID = 1L;

    public AddonException(String message) {
        super(message);
    }

    public AddonException(String message, Throwable cause) {
        super(message, cause);
    }
}
