package dev.smplr.hourglass;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The row loops of the element-wise kernels ({@link NhwcKernels}, {@link NhwcGradKernels}), on several threads.
 *
 * <p>The rows (b, y) of a batch are cut into contiguous chunks, each with its own scratch arrays, run on a pool of
 * {@link #THREADS} threads. What a row computes does not depend on the chunking, and the kernels that reduce keep
 * one partial sum per row and add the partials in row order afterwards, so every result is the same on any number
 * of threads, bit for bit. With the GEMMs multi-threaded by OpenBLAS, these loops were the serial part of a training
 * step.
 *
 * <p>The thread count follows ND4J's ({@code OMP_NUM_THREADS}): with one BLAS thread everything runs on the calling
 * thread, so that two trainings sharing a machine, one thread each, do not wait on each other's cores.
 */
final class NhwcRows {
    /** Below this many floats a loop stays on the calling thread: starting a parallel one costs tens of µs. */
    static final int PARALLEL_FLOATS = 1 << 15;
    /** Threads of the element-wise loops: ND4J's BLAS threads, at most the processors. */
    static final int THREADS = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(),
            Nd4j.getEnvironment().maxThreads()));
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;

    /** The work of one row, with the chunk's scratch arrays. */
    @FunctionalInterface
    interface Row {
        void run(int b, int y, float[][] scratch);
    }

    /** The work of one contiguous range [from, to) of a flat loop. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    private NhwcRows() {
    }

    /**
     * Runs {@code row} for every (b, y), b &lt; n, y &lt; h, in some order and on some threads.
     *
     * @param n       images
     * @param h       rows per image
     * @param floats  the floats the loop touches, to decide whether threads pay
     * @param scratch the lengths of the scratch arrays each chunk gets
     * @param row     the work of one row; it must write only what belongs to its row
     */
    static void forEach(int n, int h, long floats, int[] scratch, Row row) {
        forRanges(n * h, floats, (from, to) -> runChunk(from, to, h, scratch, row));
    }

    /**
     * Runs {@code range} over contiguous chunks that cover 0 .. length − 1 once: one chunk below
     * {@link #PARALLEL_FLOATS}, else {@code 4 × THREADS} (at most {@code length}), chunk k from
     * {@code length·k / chunks}.
     *
     * @param length the loop's length
     * @param floats the floats the loop touches, to decide whether threads pay
     * @param range  the work of one chunk; it must write only what belongs to its range
     */
    static void forRanges(int length, long floats, Range range) {
        int chunks = floats < PARALLEL_FLOATS ? 1 : (int) Math.min(length, 4L * THREADS);
        parallelFor(chunks, k -> range.run((int) ((long) length * k / chunks),
                (int) ((long) length * (k + 1) / chunks)));
    }

    /**
     * Runs {@code task} for 0 .. count − 1 on the pool, or in order on the calling thread with one thread.
     *
     * @param count the tasks
     * @param task  one task; tasks must be independent
     */
    static void parallelFor(int count, IntConsumer task) {
        if (POOL == null || count <= 1) {
            for (int k = 0; k < count; k++) {
                task.accept(k);
            }
            return;
        }
        // a parallel stream started inside a pool's task runs on that pool
        POOL.invoke(ForkJoinTask.adapt(() -> IntStream.range(0, count).parallel().forEach(task)));
    }

    private static void runChunk(int from, int to, int h, int[] scratch, Row row) {
        float[][] s = new float[scratch.length][];
        for (int i = 0; i < scratch.length; i++) {
            s[i] = new float[scratch[i]];
        }
        for (int r = from; r < to; r++) {
            row.run(r / h, r % h, s);
        }
    }

    /** {@code scratch} lengths: {@code count} arrays of {@code length} floats. */
    static int[] arrays(int count, int length) {
        int[] lengths = new int[count];
        java.util.Arrays.fill(lengths, length);
        return lengths;
    }
}
