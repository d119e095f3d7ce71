package dev.smplr.hourglass;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Starts a hourglass graph from a trained one with as many or more stacks, as many or more features, and any input
 * size, so that the new network initially computes what the trained one did (the function-preserving growth of
 * Net2Net, Chen et al. 2016): training moves on from the trained network instead of from scratch.
 *
 * <ul>
 *   <li><b>Stacks.</b> Every parameter of the stem and of stack {@code k < S − 1} (S: the source's stacks) comes
 *       from the same name. Every stack {@code k ≥ S − 1} takes the source's last stack. The layers only a middle
 *       stack has (its {@code _llp} and {@code _outp} 1 × 1 convolutions, which feed the next stack) are zero where
 *       the source had none: each added stack then receives exactly the input the source's last stack received and
 *       returns its output.</li>
 *   <li><b>Features.</b> Every channel count scales with the features, so each parameter is the source's with
 *       channels appended. Appended channels keep the new network's own initialisation (random convolution rows,
 *       batch norm γ 1, β 0, mean 0, σ 1) except the weights from an appended input channel into a source output
 *       channel, which are zero: the source's channels never see the new ones, so every head answers as before,
 *       while the new channels carry non-zero activations and so give those zero weights a gradient.</li>
 *   <li><b>Input size.</b> Parameters do not depend on it; the same rule moves a network to another crop size.</li>
 * </ul>
 * Batch-norm running statistics are parameters here and travel with the rest. Depth, depth bins and volumes must
 * match: they change what the heads mean.
 */
final class NetworkGrowth {
    private static final Pattern STACK_PARAM = Pattern.compile("s(\\d+)_(.*)");
    private static final Pattern FEEDS_NEXT_STACK = Pattern.compile(
            "(" + HourglassNetwork.FEED_FEATURES + "|" + HourglassNetwork.FEED_HEAD + ")_.*");

    private NetworkGrowth() {
    }

    /**
     * Copies source into target as the class description says.
     *
     * @param source       the trained graph
     * @param sourceConfig its configuration
     * @param target       the new graph, modified
     * @param targetConfig its configuration: as many or more stacks and features, the same depth, depth bins,
     *                     points and limb volumes
     * @return how many parameter arrays were set to zero (the added feed-forward layers)
     * @throws IllegalArgumentException if the configurations differ otherwise, or naming the parameter if one is
     *                                  missing from the source or larger there
     */
    static int grow(ComputationGraph source, HourglassConfig sourceConfig, ComputationGraph target,
            HourglassConfig targetConfig) {
        int sourceStacks = sourceConfig.stacks();
        if (targetConfig.stacks() < sourceStacks) {
            throw new IllegalArgumentException("the new network has " + targetConfig.stacks() + " stacks, fewer than"
                    + " the " + sourceStacks + " of the network it starts from: only adding stacks is supported");
        }
        if (targetConfig.features() < sourceConfig.features()) {
            throw new IllegalArgumentException("the new network has " + targetConfig.features() + " features, fewer"
                    + " than the " + sourceConfig.features() + " of the network it starts from: only widening is"
                    + " supported");
        }
        same("depth", sourceConfig.depth(), targetConfig.depth());
        same("depthBins", sourceConfig.depthBins(), targetConfig.depthBins());
        same("pointCount", sourceConfig.pointCount(), targetConfig.pointCount());
        same("limbVolumes", sourceConfig.limbVolumes(), targetConfig.limbVolumes());
        Map<String, INDArray> from = source.paramTable();
        int zeroed = 0;
        for (Map.Entry<String, INDArray> e : target.paramTable().entrySet()) {
            String name = e.getKey();
            String sourceName = name;
            Matcher m = STACK_PARAM.matcher(name);
            if (m.matches()) {
                int k = Integer.parseInt(m.group(1));
                sourceName = "s" + Math.min(k, sourceStacks - 1) + "_" + m.group(2);
                if (!from.containsKey(sourceName) && k >= sourceStacks - 1
                        && FEEDS_NEXT_STACK.matcher(m.group(2)).matches()) {
                    e.getValue().assign(0);
                    zeroed++;
                    continue;
                }
            }
            INDArray value = from.get(sourceName);
            if (value == null) {
                throw new IllegalArgumentException("parameter " + name + ": the network to start from has no "
                        + sourceName);
            }
            embed(name, value, sourceName, e.getValue());
        }
        return zeroed;
    }

    private static void same(String name, int source, int target) {
        if (source != target) {
            throw new IllegalArgumentException(name + ": " + target + " here, " + source + " in the network to start"
                    + " from: only the stacks, the features and the input size may differ");
        }
    }

    /**
     * Writes {@code value} into the leading corner of {@code into}; for a convolution weight (cout, cin, k, k), the
     * block from appended input channels into the source's output channels is set to zero.
     */
    private static void embed(String name, INDArray value, String sourceName, INDArray into) {
        long[] small = value.shape();
        long[] large = into.shape();
        boolean fits = small.length == large.length;
        for (int d = 0; fits && d < small.length; d++) {
            fits = small[d] <= large[d] && (d < 2 || small[d] == large[d]);
        }
        if (!fits) {
            throw new IllegalArgumentException("parameter " + name + ": shape " + Arrays.toString(large) + " here, "
                    + Arrays.toString(small) + " in the network to start from (" + sourceName + "): a parameter can "
                    + "only gain channels");
        }
        if (Arrays.equals(small, large)) {
            into.assign(value);
            return;
        }
        INDArrayIndex[] corner = new INDArrayIndex[small.length];
        for (int d = 0; d < small.length; d++) {
            corner[d] = NDArrayIndex.interval(0, small[d]);
        }
        into.get(corner).assign(value);
        if (large.length == 4 && large[1] > small[1]) {
            into.get(NDArrayIndex.interval(0, small[0]), NDArrayIndex.interval(small[1], large[1]),
                    NDArrayIndex.all(), NDArrayIndex.all()).assign(0);
        }
    }
}
