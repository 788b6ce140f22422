package cloud.hop3.api.tls;

/** A certificate that could not be issued, with the reason. */
public class CertificateException extends Exception {

    private static final long serialVersionUID = 1L;

    public CertificateException(String message) {
        super(message);
    }

    public CertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}
