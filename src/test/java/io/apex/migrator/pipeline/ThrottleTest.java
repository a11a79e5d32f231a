package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * run.throttle is a rate, not a budget: what a run did not use while paused or idle is not handed out later. The
 * assertions count the points granted in a window and compare them with what the rate allows over it, with generous
 * bounds (the machine's speed only moves the count down, never above the rate).
 */
class ThrottleTest {

    private static final int RATE = 400;
    private static final int PAGE = 10;
    private static final Duration WINDOW = Duration.ofSeconds(1);

    @Test
    void afterAPauseTheRunResumesAtItsRateWithoutABurst() throws Exception {
        // given a run copying at its cap for a while, then paused for longer than that (nothing acquired)
        Throttle throttle = new Throttle();
        for (int i = 0; i < 20; i++) {
            throttle.acquire("run-1", PAGE, () -> OptionalInt.of(RATE));
        }
        Thread.sleep(2_000); // the pause: time passes with no page copied

        // when it resumes and copies pages for a little longer than the window
        long resumed = System.nanoTime();
        List<Long> grants = new ArrayList<>();
        while (System.nanoTime() - resumed < WINDOW.toNanos() * 3 / 2) {
            throttle.acquire("run-1", PAGE, () -> OptionalInt.of(RATE));
            grants.add(System.nanoTime() - resumed);
        }

        // then the points granted in the first window are what the rate allows over it (a budget would have handed
        // out the 2.5 s saved up at once: 1,000 points more), and the copy did go on
        long inWindow = grants.stream().filter(t -> t < WINDOW.toNanos()).count() * PAGE;
        long allowed = RATE * WINDOW.toSeconds();
        assertThat(inWindow).as("points granted in the first %s after the pause", WINDOW)
                .isLessThanOrEqualTo(allowed * 3 / 2 + PAGE)
                .isGreaterThanOrEqualTo(allowed / 4);
    }

    @Test
    void anUnlimitedRunIsNeverHeldAndItsCapIsLookedUpOncePerTtl() {
        // given
        Throttle throttle = new Throttle();
        AtomicInteger cap = new AtomicInteger(0);
        AtomicInteger lookups = new AtomicInteger();

        // when: 1,000 pages of 1,000 points while unlimited
        long started = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            throttle.acquire("run-2", 1_000, () -> {
                lookups.incrementAndGet();
                return OptionalInt.of(cap.get());
            });
        }

        // then they all went through, with the cap looked up once per TTL, not per page
        long ttls = (System.nanoTime() - started) / Throttle.RATE_TTL.toNanos();
        assertThat(lookups.get()).isLessThanOrEqualTo(1 + (int) ttls);
        assertThat(throttle.trackedRuns()).isEqualTo(1);
    }

    @Test
    void aRunThatEndedLeavesNoStateBehind() {
        // given two throttled runs
        Throttle throttle = new Throttle();
        throttle.acquire("run-3", PAGE, () -> OptionalInt.of(RATE));
        throttle.acquire("run-4", PAGE, () -> OptionalInt.of(RATE));
        assertThat(throttle.trackedRuns()).isEqualTo(2);

        // when run-3's next lookup (after the lookup's TTL) finds it ended
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            throttle.acquire("run-3", PAGE, OptionalInt::empty);
            assertThat(throttle.trackedRuns()).isEqualTo(1);
        });

        // then only run-4's state is left
        throttle.acquire("run-4", PAGE, () -> OptionalInt.of(RATE));
        assertThat(throttle.trackedRuns()).isEqualTo(1);
    }

    @Test
    void aRunNotSeenForTheIdleHorizonIsDropped() {
        // given a run whose last page on this replica was copied (it ends on another replica)
        Throttle throttle = new Throttle(Duration.ofMillis(300));
        throttle.acquire("run-6", PAGE, () -> OptionalInt.of(RATE));

        // when another run goes on past the idle horizon
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            throttle.acquire("run-7", PAGE, () -> OptionalInt.of(0));

            // then only the active run is tracked
            assertThat(throttle.trackedRuns()).isEqualTo(1);
        });
    }
}
