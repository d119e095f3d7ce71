package dev.smplr.dae;

import dev.smplr.smpl.training.ReleaseSchedule;
import dev.smplr.core.internal.Checks;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A minimal version of the release's DAE training (SPEC 7): Adam with {@link ReleaseSchedule}, a random
 * permutation each epoch, at most {@code maxBatches} batches per epoch, inputs = clean points + U(−g, +g) per
 * coordinate, labels = clean points, L1 loss; keeps the parameters of the epoch with the best validation L1.
 * Only 3D denoising: lifting needs a 2D projection this class does not know.
 */
final class DenoiserTrainer {

    /**
     * @param lr0        the initial learning rate of the schedule
     * @param epochs     the number of epochs
     * @param batchSize  samples per batch
     * @param maxBatches the most batches per epoch
     * @param seed       the seed of the permutations and the noise
     */
    record Options(double lr0, int epochs, int batchSize, int maxBatches, long seed) {
        Options {
            if (!(lr0 > 0 && Double.isFinite(lr0))) {
                throw new IllegalArgumentException("lr0: expected a positive finite learning rate, got " + lr0);
            }
            if (epochs < 1 || batchSize < 1 || maxBatches < 1) {
                throw new IllegalArgumentException("epochs, batchSize, maxBatches: expected at least 1, got "
                        + epochs + ", " + batchSize + ", " + maxBatches);
            }
        }

        /** The release's stage-2 schedule: lr₀ 0.01, 200 epochs, batch 256, at most 400 batches. */
        static Options paper() {
            return new Options(0.01, 200, 256, 400, 0);
        }
    }

    private DenoiserTrainer() {
    }

    /**
     * Trains a new network.
     *
     * @param config the network; must not be lifting
     * @param options the schedule
     * @param train   n × 123 clean training points. Not modified.
     * @param val     m × 123 clean validation points, noised once with a fixed seed. Not modified.
     * @param g       the 123 noise half-widths, metres, non-negative (the release's table, in the camera frame:
     *                {@code dev.smplr.smpl.NoiseModel.releaseAmplitudes()}). Not modified.
     * @return the denoiser of the best validation epoch, with metrics {@code valL1} and {@code bestEpoch}
     */
    static JointDenoiser train(DenoiserConfig config, Options options, float[] train, float[] val, float[] g) {
        Checks.notNull("config", config);
        Checks.notNull("options", options);
        if (config.lifting()) {
            throw new IllegalArgumentException("config: the trainer supports 3D denoising only, got lifting = true");
        }
        int w = config.inputSize();
        int n = Checks.batch("train", train, w, "n×123 points");
        int m = Checks.batch("val", val, w, "m×123 points");
        Checks.finite("train", train, 3);
        Checks.finite("val", val, 3);
        Checks.length("g", g, w, "41×3 half-widths");
        for (int i = 0; i < w; i++) {
            if (!(g[i] >= 0 && Float.isFinite(g[i]))) {
                throw new IllegalArgumentException("g[" + i + "]: expected a non-negative half-width, got " + g[i]);
            }
        }
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("train, val: expected at least one sample each, got " + n + ", " + m);
        }

        ComputationGraph graph = DenoiserNetwork.build(config, new Adam(ReleaseSchedule.mlp(options.lr0())));
        Random rng = new Random(options.seed());
        DataSet valSet = new DataSet(noisy(val, m, g, new Random(options.seed() ^ 0x5DEECE66DL)),
                Nd4j.create(val, new long[] {m, w}, 'c'));
        double best = graph.score(valSet, false);
        INDArray bestParams = graph.params().dup();
        int bestEpoch = -1;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int batch = Math.min(options.batchSize(), n);
        float[] clean = new float[batch * w];
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            shuffle(order, rng);
            int batches = Math.min(options.maxBatches(), n / batch);
            for (int b = 0; b < batches; b++) {
                for (int s = 0; s < batch; s++) {
                    System.arraycopy(train, order[b * batch + s] * w, clean, s * w, w);
                }
                graph.fit(new DataSet(noisy(clean, batch, g, rng), Nd4j.create(clean, new long[] {batch, w}, 'c')));
            }
            graph.incrementEpochCount();
            double score = graph.score(valSet, false);
            if (score < best) {
                best = score;
                bestParams = graph.params().dup();
                bestEpoch = epoch;
            }
        }
        graph.setParams(bestParams);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("valL1", best);
        metrics.put("bestEpoch", (double) bestEpoch);
        String description = String.format(Locale.ROOT,
                "DenoiserTrainer: Adam, lr(e) = %g * sigmoid(4 - e/12.5) + 1e-4, %d epochs, batch %d, at most %d "
                        + "batches per epoch, %d training and %d validation samples, U(-g, g) noise",
                options.lr0(), options.epochs(), batch, options.maxBatches(), n, m);
        return new JointDenoiser(config, graph, options.seed(), description, metrics);
    }

    /** clean + (u − 0.5) · 2g, u ~ U(0, 1) per coordinate, as the release draws it. */
    private static INDArray noisy(float[] clean, int rows, float[] g, Random rng) {
        int w = g.length;
        float[] x = new float[rows * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = clean[i] + (float) ((rng.nextDouble() - 0.5) * 2 * g[i % w]);
        }
        return Nd4j.create(x, new long[] {rows, w}, 'c');
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
