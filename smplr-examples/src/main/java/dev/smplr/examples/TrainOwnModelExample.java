package dev.smplr.examples;

import dev.smplr.core.Gender;
import dev.smplr.smpl.RegressorTrainer;
import dev.smplr.smpl.SmplEstimate;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplParams;
import dev.smplr.smpl.SmplRegressor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Trains the SMPL-reverse regressor (Ψ and Ω) for your own SMPL file, then uses it.
 *
 * <p>The shipped demo weights belong to the embedded demo body: their manifest records its fingerprint and
 * {@link SmplRegressor#load(Path, SmplModel)} refuses them for another body. For a real SMPL model, train on it:
 * <pre>
 * java -cp 'smplr-examples.jar:lib/*' dev.smplr.examples.TrainOwnModelExample SMPL_NEUTRAL.pkl out/my-regressor 3000
 * </pre>
 * Without arguments it trains briefly on the neutral demo body, so that it runs anywhere.
 */
public final class TrainOwnModelExample {
    private TrainOwnModelExample() {
    }

    /**
     * @param args optional: an SMPL model file (.pkl or .npz, default: the neutral demo body), the weights
     *             directory (default {@code out/my-regressor}) and the step count (default 2000)
     * @throws IOException if the model cannot be read or the weights cannot be written
     */
    public static void main(String[] args) throws IOException {
        SmplModel body = args.length > 0 ? SmplModel.load(Path.of(args[0])) : SmplModel.demo(Gender.NEUTRAL);
        Path out = Path.of(args.length > 1 ? args[1] : "out/my-regressor");
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 2000;

        SmplRegressor regressor = RegressorTrainer.builder()
                .preset("demo")
                .models(gender -> body) // one model for every sampled gender: a neutral file
                .steps(steps)
                .seed(42)
                .out(out) // checkpoints, the loss curve and the weights; rerun with .resume(true) after a kill
                .command("TrainOwnModelExample " + String.join(" ", args))
                .build()
                .train();

        // Use it: 41 root-relative points of the body in some pose -> SMPL parameters.
        float[] points = body.smplrPoints(SmplParams.zero());
        SmplEstimate estimate = regressor.regress(points);
        System.out.println("trained for " + body.source() + " (" + steps + " steps); run directory " + out + ", weights in " + out.resolve("regressor"));
        System.out.println("rest pose regressed to betas " + Arrays.toString(estimate.params().betas()));
    }
}
