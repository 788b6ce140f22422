package cloud.hop3.core.impl.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A supervised process with everything it started: its descendants and the other processes of
 * its session (which still holds the ones whose parent died, such as the server that
 * {@code sh -c} started when {@code sh} was killed). Terminating sends SIGTERM to all of them,
 * waits up to a grace period, then sends SIGKILL to what is left.
 * <p>
 * Safe against reused pids: a leader whose pid now belongs to another process has no members
 * (Linux does not reuse a pid while a session still carries it as its id), and every signal goes
 * through {@link ProcessHandle}, which checks the start time of the process it signals.
 */
final class ProcessTree {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Duration KILL_WAIT = Duration.ofSeconds(2);
    private static final int KILL_ROUNDS = 5;

    private ProcessTree() {
    }

    /**
     * The leader (when it runs and is the one identified), its descendants and the rest of its
     * session, leader first.
     */
    static List<ProcessHandle> members(ProcessIdentity leader) {
        Optional<ProcessHandle> self = leader.find();
        if (self.isEmpty() && leader.pidTakenByAnother()) {
            return List.of();
        }
        Map<Long, ProcessHandle> found = new LinkedHashMap<>();
        self.ifPresent(h -> {
            found.put(h.pid(), h);
            h.descendants().filter(ProcStat::running).forEach(d -> found.putIfAbsent(d.pid(), d));
        });
        if (ProcStat.available()) {
            for (ProcStat s : ProcStat.all()) {
                if (s.session() == leader.pid() && s.pid() != leader.pid() && !s.zombie()) {
                    ProcessHandle.of(s.pid()).ifPresent(h -> found.putIfAbsent(h.pid(), h));
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /** The members other than the leader: what is left when the leader died. */
    static List<ProcessHandle> leftovers(ProcessIdentity leader) {
        List<ProcessHandle> members = members(leader);
        members.removeIf(h -> h.pid() == leader.pid());
        return members;
    }

    /** Sends SIGTERM to the processes, without waiting. */
    static void signal(Collection<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroy);
    }

    /**
     * Terminates the trees of the leaders: SIGTERM to every member, up to {@code grace} for them
     * to exit, then SIGKILL to every member still there (new ones included).
     *
     * @return whether everything is gone
     */
    static boolean terminate(Collection<ProcessIdentity> leaders, Duration grace) {
        List<ProcessHandle> first = membersOf(leaders);
        if (first.isEmpty()) {
            return true;
        }
        signal(first);
        if (awaitGone(first, grace) && membersOf(leaders).isEmpty()) {
            return true;
        }
        // a member may fork between the scan and the signal: kill again whatever the session still holds
        boolean gone = kill(union(first, membersOf(leaders)));
        for (int round = 0; round < KILL_ROUNDS; round++) {
            List<ProcessHandle> late = membersOf(leaders);
            if (late.isEmpty()) {
                return gone;
            }
            gone = kill(late);
        }
        return gone && membersOf(leaders).isEmpty();
    }

    /** Sends SIGKILL to the processes and waits briefly for them to go. */
    static boolean kill(Collection<ProcessHandle> processes) {
        List<ProcessHandle> alive = processes.stream().filter(ProcStat::running).toList();
        alive.forEach(ProcessHandle::destroyForcibly);
        return awaitGone(alive, KILL_WAIT);
    }

    /**
     * Waits until none of the processes runs, polling until the timeout.
     *
     * @return whether they are all gone; false also when the thread was interrupted
     */
    static boolean awaitGone(Collection<ProcessHandle> processes, Duration timeout) {
        long end = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            if (processes.stream().noneMatch(ProcStat::running)) {
                return true;
            }
            long left = end - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, POLL_NANOS));
        }
    }

    private static List<ProcessHandle> membersOf(Collection<ProcessIdentity> leaders) {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessIdentity leader : leaders) {
            all.addAll(members(leader));
        }
        return union(all, List.of());
    }

    private static List<ProcessHandle> union(List<ProcessHandle> a, List<ProcessHandle> b) {
        Map<Long, ProcessHandle> byPid = new LinkedHashMap<>();
        a.forEach(h -> byPid.putIfAbsent(h.pid(), h));
        b.forEach(h -> byPid.putIfAbsent(h.pid(), h));
        return new ArrayList<>(byPid.values());
    }
}
