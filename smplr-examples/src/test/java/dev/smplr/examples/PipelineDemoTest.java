package dev.smplr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smplr.core.Metrics;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PipelineResult;
import dev.smplr.hourglass.SyntheticImageSource;
import dev.smplr.hourglass.SyntheticSample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@code Pipeline.demo()} end to end on seeded synthetic images: every stage is found through the service loader,
 * the final body's 41 points are finite and within the bar the README documents for the shipped demo weights,
 * and one pipeline shared by several threads gives the results it gives alone.
 */
class PipelineDemoTest {
    /** The README's documented bar for the demo weights (MPJPE of the final body's 41 points, mm). */
    static final double DEMO_BAR_MM = 600;

    @Test
    void demo_onSyntheticImages_isBelowTheDocumentedBar_andSafeToShare() throws Exception {
        Pipeline pipeline = Pipeline.demo();
        SyntheticImageSource source = SyntheticImageSource.demo(11);
        List<SyntheticSample> samples = new ArrayList<>();
        List<PipelineResult> alone = new ArrayList<>();
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            SyntheticSample s = source.sample(i);
            samples.add(s);
            PipelineResult r = pipeline.run(s.crop());
            alone.add(r);
            assertThat(r.bodyPoints()).hasSize(123);
            double error = Metrics.mpjpe(r.bodyPoints(), s.points41()); // throws on NaN or infinity
            assertThat(error).isFinite();
            sum += error;
        }
        assertThat(sum / 3).isLessThan(DEMO_BAR_MM);

        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<PipelineResult>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (SyntheticSample s : samples) {
                    futures.add(pool.submit(() -> pipeline.run(s.crop())));
                }
            }
            for (int k = 0; k < futures.size(); k++) {
                PipelineResult shared = futures.get(k).get();
                assertThat(shared.bodyPoints()).containsExactly(alone.get(k % 3).bodyPoints());
                assertThat(shared.estimated()).containsExactly(alone.get(k % 3).estimated());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
