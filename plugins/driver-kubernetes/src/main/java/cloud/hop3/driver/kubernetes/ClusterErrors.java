package cloud.hop3.driver.kubernetes;

import cloud.hop3.api.process.ProcessException;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;

/** A Kubernetes client failure, told the way a user can act on it. */
final class ClusterErrors {

    private ClusterErrors() {
    }

    static ProcessException of(String what, KubernetesClientException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        String server = e.getStatus() != null ? e.getStatus().getMessage() : null;
        String why = switch (e.getCode()) {
            case 401 -> "the cluster does not accept the driver's credentials";
            case 403 -> "the cluster refused it (permissions or quota): " + server;
            case 404 -> "not found: " + server;
            case 409 -> "conflict: " + server;
            case 422 -> "the cluster found an object invalid: " + server;
            case 0 -> cause instanceof IOException ? "the API server cannot be reached (" + cause + ")" : String.valueOf(e.getMessage());
            default -> "the API server answered " + e.getCode() + ": " + (server == null ? e.getMessage() : server);
        };
        return new ProcessException(what + ": " + why, e);
    }
}
