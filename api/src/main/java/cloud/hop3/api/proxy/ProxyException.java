package cloud.hop3.api.proxy;

/** A route table a proxy refused, with the reason (for example its configuration check's output). */
public class ProxyException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProxyException(String message) {
        super(message);
    }

    public ProxyException(String message, Throwable cause) {
        super(message, cause);
    }
}
