package dev.smplr.examples;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.BodyRegressor;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PointDenoiser;
import dev.smplr.core.PointEstimator;
import dev.smplr.core.Rotations;
import dev.smplr.hourglass.HourglassEstimator;
import dev.smplr.hourglass.HourglassEvaluation;
import dev.smplr.hourglass.HourglassTrainer;
import dev.smplr.hourglass.SyntheticImageSource;
import dev.smplr.hourglass.SyntheticSample;
import dev.smplr.dae.DenoiserTrainer;
import dev.smplr.dae.JointDenoiser;
import dev.smplr.smpl.RegressorTrainer;
import dev.smplr.smpl.SmplEstimate;
import dev.smplr.smpl.SmplFitter;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplParams;
import dev.smplr.smpl.SmplRegressor;
import dev.smplr.smpl.training.TrainerArgs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place the programs get trained stages, trainers, evaluations and synthetic samples from, so that the
 * commands stay thin.
 */
final class Stages {
    private Stages() {
    }

    /** The kinds of network the trainers make. */
    enum Kind {
        /** The denoising autoencoder (smplr-dae). */
        dae,
        /** The SMPL-reverse regressor Ψ/Ω (smplr-smpl). */
        regressor,
        /** The stacked-hourglass point estimator (smplr-hourglass). */
        hourglass
    }

    /**
     * What to evaluate.
     *
     * @param kind    the network
     * @param weights a weights directory, or null for the shipped demo weights
     * @param samples how many synthetic validation samples
     * @param seed    the random seed of the samples
     */
    record EvalRequest(Kind kind, Path weights, int samples, long seed) {
    }

    /** @return the shipped demo point estimator: {@code HourglassEstimator.demo()} */
    static PointEstimator estimator() {
        return HourglassEstimator.demo();
    }

    /** @return the shipped demo denoiser: {@code JointDenoiser.demo()} */
    static PointDenoiser denoiser() {
        return JointDenoiser.demo();
    }

    /** @return the shipped demo regressor: {@code SmplRegressor.demo()} */
    static BodyRegressor regressor() {
        return SmplRegressor.demo();
    }

    /** @return the body model of the demo pipeline: the neutral demo body */
    static SmplModel body() {
        return SmplModel.demo(dev.smplr.core.Gender.NEUTRAL);
    }

    /**
     * @return the demo pipeline: the four stages above on {@link #body()}; once the modules register their
     *         {@code DemoStageProvider}s this is {@code Pipeline.demo()}
     */
    static Pipeline pipeline() {
        return Pipeline.builder().estimator(estimator()).denoiser(denoiser()).regressor(regressor())
                .body(body()).build();
    }

    /**
     * Refines an estimate by optimisation: {@code SmplFitter.of(body).fit(points41, initial)}.
     *
     * @param body     the body model
     * @param points41 the 41 points to fit. Not modified.
     * @param initial  the regressor's estimate, the starting point
     * @return the refined estimate
     */
    static BodyEstimate refine(SmplModel body, float[] points41, BodyEstimate initial) {
        return SmplFitter.of(body).refine(points41, initial);
    }

    /**
     * A synthetic test image with its ground truth: {@code SyntheticImageSource.demo(seed).next()}, turned into
     * a {@link DemoReport.Input}.
     *
     * @param seed the seed of the image source
     * @return the crop, its camera and the ground truth
     */
    static DemoReport.Input syntheticSample(long seed) {
        SyntheticSample s = SyntheticImageSource.demo(seed).next();
        return new DemoReport.Input(s.crop(), s.camera(), s.root(), s.points41(), inCameraFrame(s));
    }

    /**
     * The sample's true parameters with the global orientation turned into the camera frame, the frame of the
     * points the pipeline sees: R_root,cam = R_body→cam · R_root.
     */
    static SmplEstimate inCameraFrame(SyntheticSample s) {
        float[] pose = s.params().pose().clone();
        float[] root = new float[9];
        float[] rootCam = new float[9];
        Rotations.axisAngleToMatrix(pose, 0, root, 0);
        Rotations.multiply(s.bodyToCamera().rotation(), 0, root, 0, rootCam, 0);
        Rotations.matrixToAxisAngle(rootCam, 0, pose, 0);
        SmplParams params = SmplParams.of(pose, s.params().betas(), null);
        return new SmplEstimate(params, s.gender(), Rotations.axisAngleToMatrix(pose));
    }

    /**
     * @param kind the network
     * @return its trainer's command line: options, defaults, usage
     */
    static TrainerArgs trainerCommandLine(Kind kind) {
        return switch (kind) {
            case dae -> DenoiserTrainer.commandLine();
            case regressor -> RegressorTrainer.commandLine();
            case hourglass -> HourglassTrainer.commandLine();
        };
    }

    /**
     * Trains a network and writes its weights directory: the trainer's {@code run(args)}, which records
     * {@code smplr train KIND ARGS} in the manifest.
     *
     * @param kind the network
     * @param args the trainer's arguments, as given
     * @throws IOException if a checkpoint cannot be read or a file cannot be written
     * @throws IllegalArgumentException naming the option if an argument is bad
     */
    static void train(Kind kind, String... args) throws IOException {
        switch (kind) {
            case dae -> DenoiserTrainer.run(args);
            case regressor -> RegressorTrainer.run(args);
            case hourglass -> HourglassTrainer.run(args);
        }
    }

    /**
     * Evaluates the denoiser or the regressor on synthetic validation data ({@link SmplrEvaluation}); the hourglass
     * has its own report ({@link #evaluateHourglass}).
     *
     * @param request what to evaluate: {@link Kind#dae} or {@link Kind#regressor}
     * @return metric name (with its unit, e.g. {@code "MPJPE (mm)"}) to value, in the order to print
     * @throws IllegalArgumentException if the request is for the hourglass
     */
    static Map<String, Double> evaluate(EvalRequest request) {
        if (request.kind() == Kind.hourglass) {
            throw new IllegalArgumentException("kind: expected dae or regressor, got hourglass "
                    + "(evaluateHourglass measures it)");
        }
        boolean dae = request.kind() == Kind.dae;
        SmplrEvaluation.Result result = SmplrEvaluation.run(new SmplrEvaluation.Options(request.samples(),
                request.seed(), dae ? null : request.weights(), null, null, dae ? request.weights() : null, null));
        Map<String, Double> out = new LinkedHashMap<>();
        for (SmplrEvaluation.Row row : result.rows()) {
            if (row.available()) {
                out.put(row.name() + ": input points (mm)", row.pointsMm());
                out.put(row.name() + ": MPJPE All (mm)", row.mpjpeAll());
                out.put(row.name() + ": PA-MPJPE (mm)", row.paMpjpe());
                out.put(row.name() + ": per-vertex (mm)", row.pveMm());
            }
        }
        return out;
    }

    /**
     * Evaluates a hourglass on the held-out images of its trainer's final evaluation
     * ({@link HourglassEvaluation#heldOut(HourglassEstimator, int)}).
     *
     * @param weights a weights directory, or null for {@code HourglassEstimator.demo()}
     * @param samples the number of images
     * @param seed    the images' seed, or null for the training run's (from the weights' manifest)
     * @param flip    whether to average with the mirrored crops ({@link HourglassEstimator#withFlipAveraging})
     * @return the errors of the network and of the mean-pose baseline
     * @throws IOException if the weights directory cannot be read
     */
    static HourglassEvaluation.Result evaluateHourglass(Path weights, int samples, Long seed, boolean flip)
            throws IOException {
        HourglassEstimator estimator = (weights == null ? HourglassEstimator.demo() : HourglassEstimator.load(weights))
                .withFlipAveraging(flip);
        return seed == null ? HourglassEvaluation.heldOut(estimator, samples)
                : HourglassEvaluation.heldOut(estimator, seed, samples);
    }
}
