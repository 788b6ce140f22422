package cloud.hop3.api.backup;

/** The failure of a backup operation, with a reason a user can act on (a tool's own words included). */
public class BackupException extends Exception {

    private static final long serialVersionUID = 1L;

    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
