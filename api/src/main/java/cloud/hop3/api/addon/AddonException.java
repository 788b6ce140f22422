package cloud.hop3.api.addon;

/** The failure of an add-on operation, with a reason a user can act on (the server's own words included). */
public class AddonException extends Exception {

    private static final long serialVersionUID = 1L;

    public AddonException(String message) {
        super(message);
    }

    public AddonException(String message, Throwable cause) {
        super(message, cause);
    }
}
