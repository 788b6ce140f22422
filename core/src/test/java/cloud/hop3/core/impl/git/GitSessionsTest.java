package cloud.hop3.core.impl.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class GitSessionsTest {

    @Test
    void asManyWaitAsRunAndTheRestAreRefused() throws Exception {
        GitSessions sessions = new GitSessions(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch allRan = new CountDownLatch(4);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger waitingTold = new AtomicInteger();
        Runnable session = () -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            allRan.countDown();
        };
        try {
            List<GitSessions.Admission> admissions = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                admissions.add(sessions.submit(session, waitingTold::incrementAndGet));
            }
            assertTrue(started.await(30, TimeUnit.SECONDS));

            assertEquals(List.of(GitSessions.Admission.RUNS, GitSessions.Admission.RUNS, GitSessions.Admission.WAITS,
                    GitSessions.Admission.WAITS, GitSessions.Admission.REFUSED), admissions);
            assertEquals(2, waitingTold.get(), "each waiting session is told");
            release.countDown();
            assertTrue(allRan.await(30, TimeUnit.SECONDS), "the waiting sessions ran once places were free");
            assertEquals(2, most.get(), "never more than the limit at once");
            assertEquals(GitSessions.Admission.RUNS, sessions.submit(() -> { }, () -> { }), "places are given back");
        } finally {
            sessions.shutdown();
        }
    }

    @Test
    void nothingIsAdmittedOnceShutDown() {
        GitSessions sessions = new GitSessions(1);
        sessions.shutdown();
        assertEquals(GitSessions.Admission.REFUSED, sessions.submit(() -> { }, () -> { }));
    }
}
