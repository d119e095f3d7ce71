package dev.smplr.hourglass;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Starts a hourglass graph from a trained one with as many or more stacks (and any input size), so that the new
 * network initially computes what the trained one did.
 *
 * <p>Every parameter of the stem and of stack {@code k < S − 1} (S: the source's stacks) is copied from the same
 * name. Every stack {@code k ≥ S − 1} takes the source's last stack. The layers only a middle stack has (its
 * {@code _llp} and {@code _outp} 1 × 1 convolutions, which feed the next stack) are zero where the source had none:
 * each added stack then receives exactly the input the source's last stack received and returns its output, the
 * function-preserving growth of Net2Net (Chen et al. 2016); training moves on from the trained network instead of
 * from scratch. Parameters do not depend on the input size, so the same rule also moves a network to another crop
 * size. Batch-norm running statistics are parameters here and travel with the rest.
 */
final class StackGrowth {
    private static final Pattern STACK_PARAM = Pattern.compile("s(\\d+)_(.*)");
    private static final Pattern FEEDS_NEXT_STACK = Pattern.compile("(llp|outp)_.*");

    private StackGrowth() {
    }

    /**
     * Copies source into target as the class description says.
     *
     * @param source       the trained graph
     * @param sourceStacks its stacks
     * @param target       the new graph, modified
     * @param targetStacks its stacks, ≥ sourceStacks
     * @return how many parameter arrays were set to zero (the added feed-forward layers)
     * @throws IllegalArgumentException naming the parameter if the target has fewer stacks, or a parameter is
     *                                  missing from the source or has another shape there (features, depth, depth
     *                                  bins and volumes must match)
     */
    static int grow(ComputationGraph source, int sourceStacks, ComputationGraph target, int targetStacks) {
        if (targetStacks < sourceStacks) {
            throw new IllegalArgumentException("the new network has " + targetStacks + " stacks, fewer than the "
                    + sourceStacks + " of the network it starts from: only adding stacks is supported");
        }
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
                        + sourceName + " (another depth?)");
            }
            if (!Arrays.equals(value.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("parameter " + name + ": shape "
                        + Arrays.toString(e.getValue().shape()) + " here, "
                        + Arrays.toString(value.shape()) + " in the network to start from (" + sourceName
                        + "): only the stacks and the input size may differ");
            }
            e.getValue().assign(value);
        }
        return zeroed;
    }
}
