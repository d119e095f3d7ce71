package dev.smplr.examples;

import java.nio.file.Path;

/**
 * Training your own regressor (the SMPL-reverse networks Ψ and Ω) on synthetic poses of the demo body, the
 * skeleton of {@code smplr train regressor}: pick a preset and a seed, give a weights directory, and load the
 * result with {@code SmplRegressor.load(dir)}. The same seed gives the same weights; {@code resume} continues from
 * the latest checkpoint in the directory.
 *
 * <p>Run: {@code java -cp smplr-examples.jar dev.smplr.examples.TrainOwnModelExample [out-dir] [steps]}.
 */
public final class TrainOwnModelExample {
    private TrainOwnModelExample() {
    }

    /**
     * @param args optional weights directory (default {@code out/my-regressor}) and step count (default 2000)
     */
    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "out/my-regressor");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Stages.TrainRequest request = new Stages.TrainRequest(Stages.Kind.regressor, Stages.Preset.demo, steps,
                42L, out, false);
        Stages.train(request);
        System.out.println("trained " + request.kind() + " (" + request.preset() + " preset, " + steps
                + " steps, seed " + request.seed() + "), weights in " + out);
        // then: SmplRegressor regressor = SmplRegressor.load(out);
        //       Pipeline pipeline = Pipeline.builder().regressor(regressor).body(SmplModel.demo(Gender.NEUTRAL)).build();
    }
}
