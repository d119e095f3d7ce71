package dev.smplr.hourglass;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A trainer's batches, each prepared on a background thread while the step before it trains: rendering the crops
 * and their volumetric targets costs about a tenth of a 128² demo step in CPU time, which a trainer that has a core
 * to spare need not wait for.
 *
 * <p>A batch depends only on its step number, so prefetching changes no value: {@link #take(long)} returns what
 * {@code filler} writes for that step whether it was prepared ahead or not. Two sets of buffers alternate: the
 * batch returned by a call is valid until the next call, which starts overwriting it with the step after. Not
 * thread-safe: one trainer thread takes.
 */
final class PrefetchedBatches implements AutoCloseable {
    /** Writes the batch of a step into the three buffers. */
    @FunctionalInterface
    interface Filler {
        void fill(long step, float[] images, float[] points, float[] targets);
    }

    /** A batch's buffers: crops, ground-truth points and targets. Read-only for the caller. */
    record Batch(float[] images, float[] points, float[] targets) {
    }

    private final Filler filler;
    private final long stop;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hourglass-batches");
        t.setDaemon(true);
        return t;
    });
    private final Batch[] buffers;
    /** The buffer handed out by the last call, or -1. */
    private int current = -1;
    private long pendingStep = -1;
    private Future<?> pending;

    /**
     * Allocates the two sets of buffers.
     *
     * @param batchSize    examples per batch
     * @param imageValues  values of one crop
     * @param targetValues target values of one example
     * @param stop         the first step not to prepare
     * @param filler       writes a step's batch
     */
    PrefetchedBatches(int batchSize, int imageValues, int targetValues, long stop, Filler filler) {
        this.filler = filler;
        this.stop = stop;
        this.buffers = new Batch[2];
        for (int k = 0; k < 2; k++) {
            buffers[k] = new Batch(new float[batchSize * imageValues], new float[batchSize * 123],
                    new float[batchSize * targetValues]);
        }
    }

    /**
     * The batch of a step, then starts preparing the next one (if below the stop step) in the other buffers.
     *
     * @param step the step
     * @return its batch, valid until the next call
     * @throws IllegalStateException if preparing it failed (the cause attached)
     */
    Batch take(long step) {
        // the buffers not handed out last time: the prefetch wrote there, or the batch is written there now
        int k = current < 0 ? 0 : 1 - current;
        Batch batch = buffers[k];
        if (pending != null) {
            await(pending);
        }
        if (pending == null || pendingStep != step) {
            filler.fill(step, batch.images(), batch.points(), batch.targets());
        }
        pending = null;
        current = k;
        if (step + 1 < stop) {
            // the caller is done with the batch of the last call: its buffers take the next step
            Batch free = buffers[1 - k];
            long next = step + 1;
            pendingStep = next;
            pending = executor.submit(() -> filler.fill(next, free.images(), free.points(), free.targets()));
        }
        return batch;
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing a training batch", e);
        } catch (ExecutionException | CancellationException e) {
            throw new IllegalStateException("preparing a training batch failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
