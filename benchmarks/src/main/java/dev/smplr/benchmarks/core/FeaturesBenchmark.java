package dev.smplr.benchmarks.core;

import dev.smplr.core.KinematicTree;
import dev.smplr.core.RestSkeleton;
import dev.smplr.core.SmplrFeatures;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SMPLR features of one 41-point set: N (123 values) and B (41 values), the input of the SMPLR regressors
 * for every frame. Allocating (the public API) and into caller buffers (the batch path).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar FeaturesBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FeaturesBenchmark {
    private float[] points;
    private float[] template;
    private float[] n;
    private float[] b;

    /** A randomly posed SMPLR point set. */
    @Setup
    public void setUp() {
        Random rnd = new Random(1);
        float[] pose = new float[3 * 42];
        for (int i = 0; i < 72; i++) {
            pose[i] = (float) (0.4 * rnd.nextGaussian());
        }
        float[] posed = KinematicTree.smplr().forwardKinematics(RestSkeleton.nodes(), pose);
        points = new float[123];
        for (int i = 0; i < 123; i++) {
            points[i] = posed[3 + i] - posed[i % 3];
        }
        template = SmplrFeatures.templateDistances(RestSkeleton.points41());
        n = new float[123];
        b = new float[41];
    }

    /** @return N and B, allocated, with argument checks */
    @Benchmark
    public float[][] nAndB() {
        return new float[][] {SmplrFeatures.normalizedRelativeJoints(points),
            SmplrFeatures.relativeDistances(points, template)};
    }

    /** @return N and B into caller buffers */
    @Benchmark
    public float[] nAndBIntoBuffers() {
        SmplrFeatures.normalizedRelativeJoints(points, 0, n, 0);
        SmplrFeatures.relativeDistances(points, 0, template, b, 0);
        return b;
    }
}
