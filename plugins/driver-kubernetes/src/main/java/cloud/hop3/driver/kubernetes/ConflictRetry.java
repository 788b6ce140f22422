package cloud.hop3.driver.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.function.Supplier;

/**
 * Writes to objects that the cluster's controllers write too. A Deployment's controller updates
 * its status while the driver replaces its spec; the API server then refuses the driver's write
 * with 409 Conflict ("the object has been modified"), as it refuses any write based on an older
 * version of the object. Such a write is made again, on the object read again, a few times,
 * before the conflict is reported.
 */
final class ConflictRetry {

    /** How many times a write is tried before its conflict is reported. */
    static final int ATTEMPTS = 5;

    private ConflictRetry() {
    }

    /**
     * Creates {@code object}, or replaces the cluster's object of its kind and name with it; the
     * replacement is based on the version of the object read just before it (the object's own
     * resource version is cleared for that).
     */
    static <T extends HasMetadata> T apply(KubernetesClient client, T object) throws InterruptedException {
        return retrying(() -> {
            object.getMetadata().setResourceVersion(null);
            return client.resource(object).createOr(op -> op.update());
        });
    }

    /** Runs {@code write} again, up to {@link #ATTEMPTS} times in all, while it meets a conflict. */
    static <T> T retrying(Supplier<T> write) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(10L * attempt);
            }
        }
    }
}
