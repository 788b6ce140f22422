package cloud.hop3.tls.selfsigned;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import cloud.hop3.api.tls.CertificateException;

/**
 * Checks the host names a certificate is asked for: DNS names of letters, digits and hyphens
 * (labels of 1 to 63 characters, 253 in all), optionally with {@code *} as the whole leftmost
 * label. Stateless; any thread.
 */
final class HostNames {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern NUMERIC = Pattern.compile("[0-9]+");
    private static final int MAX_LENGTH = 253;

    private HostNames() {
    }

    /**
     * Returns {@code hosts} in a stable order (as iterated, duplicates ignoring case removed), or
     * throws naming the first host that is not a DNS name.
     */
    static List<String> check(Collection<String> hosts) throws CertificateException {
        if (hosts == null || hosts.isEmpty()) {
            throw new CertificateException("No host names to issue a certificate for.");
        }
        List<String> checked = new ArrayList<>();
        for (String host : hosts) {
            String problem = problem(host);
            if (problem != null) {
                throw new CertificateException("Cannot issue a certificate for '" + host + "': " + problem + ".");
            }
            if (checked.stream().noneMatch(host::equalsIgnoreCase)) {
                checked.add(host);
            }
        }
        return List.copyOf(checked);
    }

    /** Why {@code host} is not a DNS name, or null when it is one. */
    static String problem(String host) {
        if (host == null || host.isEmpty()) {
            return "the host name is empty";
        }
        if (host.length() > MAX_LENGTH) {
            return "a host name has at most " + MAX_LENGTH + " characters";
        }
        if (host.endsWith(".")) {
            return "a host name must not end with a dot";
        }
        String[] labels = host.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (label.equals("*")) {
                if (i > 0) {
                    return "'*' may only be the first label, as in *.example.com";
                }
                if (labels.length < 2) {
                    return "a wildcard needs a domain after it, as in *.example.com";
                }
            } else if (label.isEmpty()) {
                return "it has an empty label (two dots in a row, or a leading dot)";
            } else if (label.contains("*")) {
                return "'*' must be a whole label, as in *.example.com";
            } else if (!LABEL.matcher(label).matches()) {
                return "label '" + label + "' is not letters, digits and inner hyphens of at most 63 characters";
            }
        }
        if (NUMERIC.matcher(labels[labels.length - 1]).matches()) {
            return "it looks like an IP address, and certificates here are for DNS names only";
        }
        return null;
    }
}
