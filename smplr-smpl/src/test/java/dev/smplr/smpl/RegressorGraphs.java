package dev.smplr.smpl;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** Test fixture: gives tests in other packages the regressor graphs {@link RegressorNetwork} builds. */
public final class RegressorGraphs {
    private RegressorGraphs() {
    }

    /** @return a freshly initialised graph of the demo preset of a kind */
    public static ComputationGraph demo(RegressorConfig.Kind kind) {
        return RegressorNetwork.build(RegressorConfig.demo(kind));
    }
}
