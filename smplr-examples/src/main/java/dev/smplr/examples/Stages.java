package dev.smplr.examples;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.BodyRegressor;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PointDenoiser;
import dev.smplr.core.PointEstimator;
import dev.smplr.smpl.SmplModel;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one place the programs get trained stages, trainers and synthetic samples from. Each method is the seam
 * for one piece that lands with its issue; until then it throws an {@link IllegalStateException} saying so,
 * which the command line reports as one line with exit code 1.
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

    /** The training presets (SPEC 15.7). */
    enum Preset {
        /** The release's sizes. */
        paper,
        /** The CPU-sized preset the shipped weights use. */
        demo
    }

    /**
     * What to train.
     *
     * @param kind   the network
     * @param preset the preset
     * @param steps  optimisation steps, or null for the preset's
     * @param seed   the random seed
     * @param out    the weights directory to write
     * @param resume whether to continue from the latest checkpoint in {@code out}
     */
    record TrainRequest(Kind kind, Preset preset, Integer steps, long seed, Path out, boolean resume) {
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
        throw notYet("the trained hourglass estimator", "HourglassEstimator.demo()", "smplr-hourglass");
    }

    /** @return the shipped demo denoiser: {@code JointDenoiser.demo()} */
    static PointDenoiser denoiser() {
        throw notYet("the trained denoiser", "JointDenoiser.demo()", "smplr-dae");
    }

    /** @return the shipped demo regressor: {@code SmplRegressor.demo()} */
    static BodyRegressor regressor() {
        throw notYet("the trained regressor", "SmplRegressor.demo()", "smplr-smpl");
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
        throw notYet("refinement (--refine)", "SmplFitter.of(body).fit(points41, initial)", "smplr-smpl");
    }

    /**
     * A synthetic test image with its ground truth: {@code SyntheticImageSource.demo(seed).next()}, turned into
     * a {@link DemoReport.Input}.
     *
     * @param seed the seed of the image source
     * @return the crop, its camera and the ground truth
     */
    static DemoReport.Input syntheticSample(long seed) {
        throw notYet("the synthetic image source", "SyntheticImageSource.demo(seed)", "smplr-hourglass");
    }

    /**
     * Trains a network and writes its weights directory.
     *
     * @param request what to train
     */
    static void train(TrainRequest request) {
        throw switch (request.kind()) {
            case dae -> notYet("the denoiser trainer", "the DAE trainer entry point", "smplr-dae");
            case regressor -> notYet("the regressor trainer", "the regressor trainer entry point", "smplr-smpl");
            case hourglass -> notYet("the hourglass trainer", "the hourglass trainer entry point",
                    "smplr-hourglass");
        };
    }

    /**
     * Evaluates a network on synthetic validation data.
     *
     * @param request what to evaluate
     * @return metric name (with its unit, e.g. {@code "MPJPE (mm)"}) to value, in the order to print
     */
    static Map<String, Double> evaluate(EvalRequest request) {
        throw notYet("evaluation of the " + request.kind(), "the " + request.kind() + " evaluator",
                request.kind() == Kind.dae ? "smplr-dae" : request.kind() == Kind.regressor ? "smplr-smpl"
                        : "smplr-hourglass");
    }

    private static IllegalStateException notYet(String what, String api, String module) {
        return new NotAvailableException(what + " is not available yet (" + api + " lands in " + module
                + " with issue 6)");
    }

    /** A stage that has not landed yet; {@code smplr demo} falls back to the body demo on it. */
    static final class NotAvailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NotAvailableException(String message) {
            super(message);
        }
    }
}
