package dev.smplr.hourglass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smplr.smpl.training.ReleaseSchedule;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The fast training step against DL4J's own: score, every parameter's gradient (including the batch norms' running
 * statistics "gradients"), and the parameters after steps through the updater.
 */
class HourglassBackpropTest {
    /** Two stacks (llp, outp and the stack fold), two levels, skip convs in the stem. */
    private static final HourglassConfig SMALL = HourglassConfig.demo().toBuilder().stacks(2).features(16).depth(2)
            .depthBins(2).inputSize(32).dropout(0).build();
    private static final int N = 3;

    private static ComputationGraph graph(HourglassConfig config) {
        Adam adam = new Adam(ReleaseSchedule.hourglass(2.5e-3));
        // Adam's first step is g/(|g| + ε), ±lr for any |g| ≫ ε: with the default ε float rounding in the tiny
        // gradients would decide whole steps. With ε = 1 the step is smooth in g, so the parameters after it
        // compare the gradients, and the state arrays compare Adam's inputs.
        adam.setEpsilon(1);
        ComputationGraph g = HourglassNetwork.build(config, adam);
        // Seeded weights (Xavier-like scale), so that every run checks the same numbers.
        SplittableRandom rnd = new SplittableRandom(4);
        for (Layer layer : g.getLayers()) {
            INDArray w = layer.paramTable().get("W");
            if (w != null) {
                double std = Math.sqrt(2.0 / (w.size(0) + w.size(1)));
                float[] v = new float[(int) w.length()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (std * rnd.nextGaussian());
                }
                layer.setParam("W", Nd4j.create(v, w.shape(), 'c'));
            }
        }
        FastHourglassTest.randomizeBatchNorms(g, new SplittableRandom(5));
        return g;
    }

    private static float[] images(int n, HourglassConfig config, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * 3 * config.inputSize() * config.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian());
        }
        return x;
    }

    /** Non-negative targets, a few hot cells per volume as the real ones have. */
    private static float[] targets(int n, HourglassConfig config, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] t = new float[n * config.headValues()];
        for (int i = 0; i < t.length; i++) {
            t[i] = rnd.nextDouble() < 0.05 ? (float) rnd.nextDouble() : 0f;
        }
        return t;
    }

    private static MultiDataSet batch(HourglassConfig config, float[] images, float[] targets, int n) {
        int s = config.inputSize();
        INDArray x = Nd4j.create(images.clone(), new long[] {n, 3, s, s});
        INDArray y = Nd4j.create(targets.clone(), new long[] {n, config.headValues()});
        INDArray[] labels = new INDArray[config.stacks()];
        Arrays.fill(labels, y);
        return new MultiDataSet(new INDArray[] {x}, labels);
    }

    /** max |a − b| / max |a| over one parameter. */
    private static double relative(INDArray expected, INDArray actual) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        return scale == 0 ? diff : diff / scale;
    }

    /** DL4J's gradient and score on a copy of {@code g}. */
    private static Map<String, INDArray> dl4jGradient(ComputationGraph g, MultiDataSet data, double[] score) {
        g.setInputs(data.getFeatures());
        g.setLabels(data.getLabels());
        g.computeGradientAndScore();
        score[0] = g.score();
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        g.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    private static void checkGradients(HourglassConfig config, ComputationGraph reference, HourglassBackprop.Masks m) {
        float[] images = images(N, config, 1);
        float[] targets = targets(N, config, 2);
        ComputationGraph dl4j = reference.clone();
        ComputationGraph fast = reference.clone();
        double[] score = new double[1];
        Map<String, INDArray> expected = dl4jGradient(dl4j, batch(config, images, targets, N), score);
        HourglassBackprop engine = HourglassBackprop.of(fast, config);
        if (m != null) {
            engine.masks(m);
        }
        double actualScore = engine.computeGradient(images, targets, N);

        assertThat(Math.abs(actualScore - score[0]) / Math.abs(score[0])).isLessThan(1e-4);
        Map<String, INDArray> actual = engine.gradients();
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        // Each parameter's error is normalised by its own max-abs, floored at 1e-3 of the largest gradient: the β
        // and γ gradients of a batch norm whose output feeds another batch norm cancel to nearly nothing (the
        // second one's input gradient sums to zero over the pixels), so their own size is no scale for rounding.
        double global = 0;
        for (INDArray g : expected.values()) {
            global = Math.max(global, g.amaxNumber().doubleValue());
        }
        double worst = 0;
        double worstUnfloored = 0;
        String worstName = "";
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            INDArray a = actual.get(e.getKey());
            double diff = e.getValue().sub(a).amaxNumber().doubleValue();
            double own = e.getValue().amaxNumber().doubleValue();
            double err = diff / Math.max(own, 1e-3 * global);
            worstUnfloored = Math.max(worstUnfloored, own == 0 ? diff : diff / own);
            if (err > worst) {
                worst = err;
                worstName = e.getKey();
            }
        }
        System.out.printf("%s: score %.6f vs %.6f, worst gradient %s %.2e (unfloored %.2e)%n", config.loss(),
                actualScore, score[0], worstName, worst, worstUnfloored);
        assertThat(worst).as(worstName).isLessThan(1e-3);
        // The whole flattened vector too: the layout is the graph's, element by element.
        assertThat(relative(dl4j.getFlattenedGradients(), fast.getFlattenedGradients())).isLessThan(1e-3);
    }

    @Test
    void transpose_blockAtAnOffset_partialTiles() {
        int rows = 45;
        int cols = 70;
        int offset = 7;
        float[] src = new float[offset + rows * cols + 3];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        float[] dst = new float[src.length];
        HourglassBackprop.transpose(src, offset, rows, cols, dst);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                assertThat(dst[offset + c * rows + r]).isEqualTo(src[offset + r * cols + c]);
            }
        }
        assertThat(dst[offset - 1]).isZero();
        assertThat(dst[offset + rows * cols]).isZero();
    }

    @Test
    void computeGradient_softmaxLoss_matchesDl4j() {
        checkGradients(SMALL, graph(SMALL), null);
    }

    @Test
    void computeGradient_softmaxLossWithIntegralTerm_matchesDl4j() {
        HourglassConfig c = SMALL.toBuilder().integralWeight(10).build();
        checkGradients(c, graph(c), null);
    }

    @Test
    void computeGradient_sigmoidLoss_matchesDl4j() {
        HourglassConfig c = SMALL.toBuilder().loss(HourglassLoss.SIGMOID_CROSS_ENTROPY).integralWeight(0).build();
        checkGradients(c, graph(c), null);
    }

    @Test
    void step_twoSteps_matchesFitParametersAndRunningStatistics() {
        ComputationGraph reference = graph(SMALL);
        ComputationGraph dl4j = reference.clone();
        ComputationGraph fast = reference.clone();
        HourglassBackprop engine = HourglassBackprop.of(fast, SMALL);
        for (int step = 0; step < 2; step++) {
            float[] images = images(N, SMALL, 10 + step);
            float[] targets = targets(N, SMALL, 20 + step);
            dl4j.getConfiguration().setEpochCount(step);
            fast.getConfiguration().setEpochCount(step);
            dl4j.fit(batch(SMALL, images, targets, N));
            double score = engine.step(images, targets, N);
            assertThat(Math.abs(score - dl4j.score()) / dl4j.score()).isLessThan(1e-4);
        }
        assertThat(fast.getIterationCount()).isEqualTo(dl4j.getIterationCount()).isEqualTo(2);
        double lr = ReleaseSchedule.hourglass(2.5e-3).valueAt(0, 0);
        double worst = 0;
        for (Layer layer : dl4j.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> e : layer.paramTable().entrySet()) {
                INDArray actual = fast.getLayer(name).getParam(e.getKey());
                double diff = e.getValue().sub(actual).amaxNumber().doubleValue();
                boolean running = e.getKey().equals("mean") || e.getKey().equals("log10stdev");
                // running statistics are plain functions of the batch: tight; trained ones move by about lr
                double tolerance = running ? 1e-5 * Math.max(1, e.getValue().amaxNumber().doubleValue())
                        : 1e-3 * lr;
                assertThat(diff).as(name + "_" + e.getKey()).isLessThan(tolerance);
                if (!running) {
                    worst = Math.max(worst, diff / lr);
                }
            }
        }
        double state = relative(dl4j.getUpdater().getStateViewArray(), fast.getUpdater().getStateViewArray());
        System.out.printf("two steps: worst parameter difference %.2e lr, Adam state %.2e%n", worst, state);
        assertThat(state).isLessThan(1e-3);
        // and they moved: the comparison is not of two untouched graphs
        assertThat(relative(reference.params(), fast.params())).isGreaterThan(lr / 10);
    }

    /** Dropout with one fixed mask on both sides: DL4J's DropoutLayers get an IDropout that applies it. */
    @Test
    void computeGradient_fixedDropoutMask_matchesDl4j() {
        HourglassConfig c = SMALL.toBuilder().dropout(0.3).build();
        ComputationGraph g = graph(c);
        int r = c.outputSize();
        int f = c.features();
        float[][] masks = new float[c.stacks()][N * r * r * f];
        HourglassBackprop.Masks seeded = HourglassBackprop.seededMasks(7);
        for (int s = 0; s < c.stacks(); s++) {
            seeded.fill(s, 0, 0.7, N, r, f, masks[s]);
            // NHWC (b, y, x, ch) → DL4J's NCHW (b, ch, y, x)
            float[] nchw = new float[masks[s].length];
            for (int b = 0; b < N; b++) {
                for (int p = 0; p < r * r; p++) {
                    for (int ch = 0; ch < f; ch++) {
                        nchw[(b * f + ch) * r * r + p] = masks[s][(b * r * r + p) * f + ch];
                    }
                }
            }
            g.getLayer("s" + s + "_drop").conf().getLayer()
                    .setIDropout(new FixedMask(Nd4j.create(nchw, new long[] {N, f, r, r}, 'c')));
        }
        checkGradients(c, g, (stack, iteration, keep, n, rows, channels, mask) ->
                System.arraycopy(masks[stack], 0, mask, 0, mask.length));
    }

    @Test
    void seededMasks_keepProbability_keepsThatFractionScaled() {
        float[] mask = new float[100_000];
        HourglassBackprop.seededMasks(3).fill(0, 5, 0.75, 10, 10, 100, mask);
        double kept = 0;
        for (float v : mask) {
            assertThat(v == 0f || Math.abs(v - 1 / 0.75f) < 1e-6).isTrue();
            kept += v == 0f ? 0 : 1;
        }
        // binomial: sd = sqrt(0.75·0.25/1e5) ≈ 0.0014
        assertThat(kept / mask.length).isBetween(0.745, 0.755);
        float[] other = new float[mask.length];
        HourglassBackprop.seededMasks(3).fill(0, 6, 0.75, 10, 10, 100, other);
        assertThat(other).isNotEqualTo(mask);
    }

    @Test
    void seededMasks_drawnInParallelChunks_areSplittableRandomsSequence() {
        // the masks of runs made before they were drawn in chunks: one SplittableRandom per (seed, iteration, stack)
        long seed = 11;
        int iteration = 42;
        int stack = 1;
        float[] mask = new float[2 * 16 * 16 * 64];
        HourglassBackprop.seededMasks(seed).fill(stack, iteration, 0.9, 2, 16, 64, mask);
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + iteration * 31L + stack);
        float[] expected = new float[mask.length];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = rnd.nextDouble() < 0.9 ? (float) (1 / 0.9) : 0f;
        }
        assertThat(mask).containsExactly(expected);
    }

    @Test
    void computeGradient_shortImages_throws() {
        HourglassBackprop engine = HourglassBackprop.of(graph(SMALL), SMALL);
        assertThatThrownBy(() -> engine.computeGradient(new float[10], targets(1, SMALL, 1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images");
    }

    /** A dropout that multiplies by one fixed mask (already scaled by 1/keep). */
    private static final class FixedMask implements IDropout {
        private static final long serialVersionUID = 1L;
        private final INDArray mask;

        FixedMask(INDArray mask) {
            this.mask = mask;
        }

        @Override
        public INDArray applyDropout(INDArray in, INDArray result, int iteration, int epoch,
                LayerWorkspaceMgr workspaceMgr) {
            INDArray out = in.mul(mask);
            if (result == null) {
                return out;
            }
            result.assign(out);
            return result;
        }

        @Override
        public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
            INDArray g = gradAtOutput.mul(mask);
            if (gradAtInput == null) {
                return g;
            }
            gradAtInput.assign(g);
            return gradAtInput;
        }

        @Override
        public void clear() {
        }

        @Override
        public IDropout clone() {
            return this;
        }
    }
}
