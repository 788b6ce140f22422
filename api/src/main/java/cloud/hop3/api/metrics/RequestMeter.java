package cloud.hop3.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Counts the requests to one process type of one app: called once for each request answered,
 * on the proxy's I/O threads, so it returns at once: it never waits on I/O nor on a lock held
 * for longer than a copy, and allocates nothing per request.
 */
@ProviderType
public interface RequestMeter {

    /** A meter that counts nothing: what a proxy uses when no metrics service is there. */
    RequestMeter NONE = (status, nanos) -> {
    };

    /**
     * One request answered.
     *
     * @param status the HTTP status code sent to the client (100 to 599)
     * @param nanos  nanoseconds from the request's head being read to the last byte of the answer
     *               being handed to the client's connection
     */
    void record(int status, long nanos);
}
