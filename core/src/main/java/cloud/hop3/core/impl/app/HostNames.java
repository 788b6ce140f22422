package cloud.hop3.core.impl.app;

import cloud.hop3.api.app.HostName;

/**
 * The host names that apps answer to ({@code app:domains-add}), checked by {@link HostName}'s one
 * rule. Kept for the callers that still pass names as text; new code takes a {@link HostName}.
 */
public final class HostNames {

    private HostNames() {
    }

    /**
     * @return the name in lower case, without a trailing dot
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static String check(String host) {
        return HostName.of(host).value();
    }
}
