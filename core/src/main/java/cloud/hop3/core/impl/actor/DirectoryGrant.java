package cloud.hop3.core.impl.actor;

import java.io.Serializable;
import java.security.Principal;

import cloud.hop3.api.access.Grant;

/**
 * A role that a directory (LDAP) login gave its user, from the user's groups: the shell's login
 * module puts one in the session's subject per role, and the authorization service decides for
 * that user from these alone ({@link ShellSubjects#directoryGrants}).
 */
public final class DirectoryGrant implements Principal, Serializable {

    private static final long serialVersionUID = 1L;

    private final Grant grant;

    public DirectoryGrant(Grant grant) {
        if (grant == null) {
            throw new IllegalArgumentException("A directory grant needs a grant");
        }
        this.grant = grant;
    }

    public Grant grant() {
        return grant;
    }

    @Override
    public String getName() {
        return grant.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DirectoryGrant d && d.grant.equals(grant);
    }

    @Override
    public int hashCode() {
        return grant.hashCode();
    }

    @Override
    public String toString() {
        return "DirectoryGrant[" + grant + "]";
    }
}
