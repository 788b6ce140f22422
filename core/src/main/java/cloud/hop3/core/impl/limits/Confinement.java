package cloud.hop3.core.impl.limits;

import java.util.List;
import java.util.Optional;

/**
 * How one process is started within its limits: the words that go in front of its command (a
 * short {@code /bin/sh} step that enters the process's control groups and lowers its rlimits,
 * then execs the command, so the pid stays the same), and its control group when it has one.
 * <p>
 * The prefix comes before any change of user: entering a group and lowering a hard rlimit need
 * the platform's rights, and an app user cannot raise them again.
 *
 * @param prefix arguments to run the command with, empty when nothing is limited
 * @param group  the process's control group, to tell an out-of-memory kill and to remove it
 */
public record Confinement(List<String> prefix, Optional<ProcessCgroup> group) {

    /** Nothing limited. */
    public static final Confinement NONE = new Confinement(List.of(), Optional.empty());

    public Confinement {
        prefix = List.copyOf(prefix);
    }

    /** The group's out-of-memory kills so far, 0 without a memory group. */
    public long oomKills() {
        return group.map(ProcessCgroup::oomKills).orElse(0L);
    }

    /** Removes the control group, once the process and its tree are gone. */
    public void release() {
        group.ifPresent(ProcessCgroup::remove);
    }
}
