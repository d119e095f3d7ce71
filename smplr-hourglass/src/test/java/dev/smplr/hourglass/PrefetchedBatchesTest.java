package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PrefetchedBatchesTest {
    /** Every value of a step's batch is the step number (images), −step (points), step·10 (targets). */
    private static void fill(long step, float[] images, float[] points, float[] targets) {
        java.util.Arrays.fill(images, step);
        java.util.Arrays.fill(points, -step);
        java.util.Arrays.fill(targets, step * 10);
    }

    @Test
    void eachStepGetsItsOwnBatchAndTheNextIsPreparedAhead() {
        List<Long> filled = new CopyOnWriteArrayList<>();
        try (PrefetchedBatches batches = new PrefetchedBatches(2, 3, 4, 6, (s, i, p, t) -> {
            filled.add(s);
            fill(s, i, p, t);
        })) {
            for (long step = 0; step < 6; step++) {
                PrefetchedBatches.Batch b = batches.take(step);
                assertThat(b.images()).hasSize(6).containsOnly((float) step);
                assertThat(b.points()).hasSize(2 * 123).containsOnly((float) -step);
                assertThat(b.targets()).hasSize(8).containsOnly(step * 10f);
            }
        }
        // step 0 in the caller's thread, 1..5 ahead; nothing past the stop step
        assertThat(filled).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aStepOtherThanThePreparedOneIsFilledAgain() {
        try (PrefetchedBatches batches = new PrefetchedBatches(1, 1, 1, 100, PrefetchedBatchesTest::fill)) {
            assertThat(batches.take(3).images()).containsOnly(3f);
            assertThat(batches.take(7).images()).containsOnly(7f);
            assertThat(batches.take(8).images()).containsOnly(8f);
        }
    }

    @Test
    void aFailedPreparationReachesTheCaller() {
        try (PrefetchedBatches batches = new PrefetchedBatches(1, 1, 1, 10, (s, i, p, t) -> {
            if (s == 1) {
                throw new IllegalArgumentException("no image 1");
            }
        })) {
            batches.take(0);
            assertThatThrownBy(() -> batches.take(1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no image 1").hasCauseInstanceOf(IllegalArgumentException.class);
        }
    }
}
