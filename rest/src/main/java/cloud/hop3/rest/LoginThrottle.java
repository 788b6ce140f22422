package cloud.hop3.rest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed logins per client address within a sliding window: once an address has failed
 * {@code limit} times in the window, every login from it is refused, a valid token's too, until
 * its oldest failure leaves the window. Bounded: at most {@value #MAX_ADDRESSES} addresses are
 * followed, the least recently failed forgotten first.
 */
final class LoginThrottle {

    static final int MAX_ADDRESSES = 10_000;

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    LoginThrottle(int limit, Duration window, Clock clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("The failed logins allowed per address is 1 or more, not " + limit);
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** How long {@code address} must wait before it may log in again, if it must. */
    synchronized Optional<Duration> blocked(String address) {
        Deque<Instant> times = failures.get(address);
        if (times == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        prune(times, now);
        if (times.isEmpty()) {
            failures.remove(address);
            return Optional.empty();
        }
        if (times.size() < limit) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, times.peekFirst().plus(window));
        return Optional.of(wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait);
    }

    /** Counts a failed login of {@code address}. */
    synchronized void failed(String address) {
        Instant now = clock.instant();
        Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        prune(times, now);
        times.addLast(now);
        while (times.size() > limit) {
            times.removeFirst();
        }
    }

    private void prune(Deque<Instant> times, Instant now) {
        for (Iterator<Instant> it = times.iterator(); it.hasNext(); ) {
            if (!it.next().plus(window).isAfter(now)) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
