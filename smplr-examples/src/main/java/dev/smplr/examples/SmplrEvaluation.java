package dev.smplr.examples;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.BodyRegressor;
import dev.smplr.core.Gender;
import dev.smplr.core.JointGroup;
import dev.smplr.core.Metrics;
import dev.smplr.core.PointDenoiser;
import dev.smplr.core.SmplJoint;
import dev.smplr.core.internal.Checks;
import dev.smplr.dae.JointDenoiser;
import dev.smplr.smpl.NoiseModel;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplEstimate;
import dev.smplr.smpl.SmplRegressor;
import dev.smplr.smpl.TrainingSample;
import dev.smplr.smpl.TrainingSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ablation table of the README, in the spirit of the paper's: on a held-out seeded set of demo-body samples
 * (default 1,000; {@link TrainingSet} with seed {@value #DEFAULT_SEED}, random orientation, the release's noise
 * {@link NoiseModel#release()}), SMPLR (the regressor Ψ/Ω followed by the body model) is fed
 * <ol>
 *   <li>the ground-truth 41 points;</li>
 *   <li>the noisy points;</li>
 *   <li>the noisy points cleaned by the DAE (the full pipeline from points);</li>
 *   <li>as 3, without landmarks (a regressor trained on the 23 joints only);</li>
 *   <li>as 3, with a regressor trained with an L2 instead of an L1 loss;</li>
 *   <li>as 3, without the SO(3) projection of Ω's matrices (the release's raw behaviour, SPEC.md 15.3);</li>
 *   <li>optionally as 3 with a DAE trained without structured corruption.</li>
 * </ol>
 * Columns, all in mm and root-relative (no alignment unless named): the error of the 41 points given to the
 * regressor; MPJPE over the 24 SMPL joints (the root's error is 0 by construction) and over the paper's 16-joint
 * "All" set ({@link JointGroup#ALL}); PA-MPJPE over the 24 joints (similarity Procrustes); the per-vertex error
 * of the mesh. A variant whose weights are not given or not found prints as "not available".
 *
 * <p>Entry points: {@link #run(Options)} returns the table (the CLI's {@code smplr eval} calls it);
 * {@link #main(String[])} prints it and writes it to a file:
 * {@code SmplrEvaluation [--samples N] [--seed S] [--regressor DIR] [--regressor-l2 DIR]
 * [--regressor-joints DIR] [--dae DIR] [--dae-release DIR] [--out FILE]}.
 */
public final class SmplrEvaluation {
    /** The held-out set's default seed: unrelated to the training seeds the trainers use (0, 1 and their ~). */
    public static final long DEFAULT_SEED = 20_201_124L;
    private static final String NA = "not available";

    private SmplrEvaluation() {
    }

    /**
     * One row of the table.
     *
     * @param name      what was evaluated
     * @param available false when a component was missing; the numbers are then NaN and {@code note} says why
     * @param note      why the row is not available, or empty
     * @param pointsMm  the mean error of the 41 points given to the regressor
     * @param mpjpe24   MPJPE over the 24 SMPL joints
     * @param mpjpeAll  MPJPE over the 16-joint "All" set
     * @param paMpjpe   PA-MPJPE over the 24 joints
     * @param pveMm     the mean per-vertex error
     */
    public record Row(String name, boolean available, String note, double pointsMm, double mpjpe24, double mpjpeAll,
            double paMpjpe, double pveMm) {
        /** @return a row for a missing component */
        public static Row missing(String name, String note) {
            return new Row(name, false, note, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /**
     * The table.
     *
     * @param rows     the rows, in the order above
     * @param samples  the number of held-out samples
     * @param seed     their seed
     * @param markdown the table as Markdown, with a header line saying what was measured
     */
    public record Result(List<Row> rows, int samples, long seed, String markdown) {
    }

    /**
     * What to evaluate. Null weight directories mean: the shipped demo weights for the regressor and the DAE,
     * "not available" for the variants.
     *
     * @param samples           held-out samples, at least 1
     * @param seed              their seed
     * @param regressor         the SMPLR regressor's weights directory, or null for {@code SmplRegressor.demo()}
     * @param regressorL2       a regressor trained with L2, or null
     * @param regressorJoints   a regressor trained on the joints only, or null
     * @param denoiser          the DAE's weights directory, or null for {@link JointDenoiser#demo()}
     * @param denoiserRelease   a DAE trained without structured corruption, or null
     */
    public record Options(int samples, long seed, Path regressor, Path regressorL2, Path regressorJoints,
            Path denoiser, Path denoiserRelease) {
        /** Checks the sample count. */
        public Options {
            if (samples < 1) {
                throw new IllegalArgumentException("samples: expected at least 1, got " + samples);
            }
        }

        /** @return 1,000 samples, the default seed, the shipped weights, no variants */
        public static Options defaults() {
            return new Options(1000, DEFAULT_SEED, null, null, null, null, null);
        }
    }

    /**
     * Runs the evaluation.
     *
     * @param options what to evaluate
     * @return the table
     */
    public static Result run(Options options) {
        Checks.notNull("options", options);
        int n = options.samples();
        TrainingSet set = TrainingSet.builder().seed(options.seed()).noise(NoiseModel.release())
                .randomOrientation(true).build();
        List<float[]> clean = new ArrayList<>(n);
        List<float[]> noisy = new ArrayList<>(n);
        List<SmplOutput> truth = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TrainingSample s = set.sample(i);
            clean.add(s.points());
            noisy.add(s.noisyPoints());
            SmplModel body = SmplModel.demo(s.gender());
            truth.add(rootRelative(body.forwardRotations(s.rotations(), s.betas(), null)));
        }

        Loaded<BodyRegressor> regressor = regressor(options.regressor());
        Loaded<PointDenoiser> dae = denoiser(options.denoiser());
        List<float[]> cleaned = dae.value == null ? null : denoise(dae.value, noisy);

        List<Row> rows = new ArrayList<>();
        rows.add(row("GT points → SMPLR", clean, clean, truth, regressor));
        rows.add(row("noisy points → SMPLR", noisy, clean, truth, regressor));
        rows.add(row("noisy → DAE → SMPLR", cleaned, clean, truth, regressor, dae));
        Loaded<BodyRegressor> joints = options.regressorJoints() == null
                ? Loaded.missing("no joints-only regressor given (--regressor-joints)")
                : regressor(options.regressorJoints());
        rows.add(row("without landmarks (joints-only regressor)", cleaned, clean, truth, joints, dae));
        rows.add(row("L1 training (= noisy → DAE → SMPLR)", cleaned, clean, truth, regressor, dae));
        Loaded<BodyRegressor> l2 = options.regressorL2() == null
                ? Loaded.missing("no L2-trained regressor given (--regressor-l2)") : regressor(options.regressorL2());
        rows.add(row("L2 training", cleaned, clean, truth, l2, dae));
        rows.add(row("with SO(3) projection (= noisy → DAE → SMPLR)", cleaned, clean, truth, regressor, dae));
        Loaded<BodyRegressor> raw = regressor.value == null ? regressor : withoutProjection(regressor.value);
        rows.add(row("without SO(3) projection (raw tanh matrices)", cleaned, clean, truth, raw, dae));
        if (options.denoiserRelease() != null) {
            Loaded<PointDenoiser> releaseDae = denoiser(options.denoiserRelease());
            List<float[]> c = releaseDae.value == null ? null : denoise(releaseDae.value, noisy);
            rows.add(row("noisy → DAE without structured corruption → SMPLR", c, clean, truth, regressor,
                    releaseDae));
        }
        return new Result(List.copyOf(rows), n, options.seed(), markdown(rows, n, options.seed()));
    }

    /**
     * Prints the table and writes it to {@code --out} (default {@code out/evaluation.md}, beside the demo's files).
     *
     * @param args see the class description
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        int samples = 1000;
        long seed = DEFAULT_SEED;
        Path reg = null;
        Path l2 = null;
        Path joints = null;
        Path dae = null;
        Path daeRelease = null;
        Path out = Path.of("out", "evaluation.md");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--samples" -> samples = Integer.parseInt(value(args, ++i, a));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--regressor" -> reg = Path.of(value(args, ++i, a));
                case "--regressor-l2" -> l2 = Path.of(value(args, ++i, a));
                case "--regressor-joints" -> joints = Path.of(value(args, ++i, a));
                case "--dae" -> dae = Path.of(value(args, ++i, a));
                case "--dae-release" -> daeRelease = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown argument " + a + "; expected --samples, --seed, "
                        + "--regressor, --regressor-l2, --regressor-joints, --dae, --dae-release or --out");
            }
        }
        Result r = run(new Options(samples, seed, reg, l2, joints, dae, daeRelease));
        System.out.print(r.markdown());
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        byte[] table = r.markdown().getBytes(StandardCharsets.UTF_8);
        dev.smplr.io.internal.AtomicFiles.write(out, o -> o.write(table));
        System.out.println("written to " + out.toAbsolutePath());
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + ": expected a value, found the end of the arguments");
        }
        return args[i];
    }

    /** A component, or why it is missing. */
    private record Loaded<T>(T value, String note) {
        static <T> Loaded<T> of(T value) {
            return new Loaded<>(value, "");
        }

        static <T> Loaded<T> missing(String note) {
            return new Loaded<>(null, note);
        }
    }

    private static Loaded<PointDenoiser> denoiser(Path dir) {
        try {
            return Loaded.of(dir == null ? JointDenoiser.demo() : JointDenoiser.load(dir));
        } catch (IOException | RuntimeException e) {
            return Loaded.missing("DAE " + (dir == null ? "demo" : dir) + ": " + e.getMessage());
        }
    }

    private static Loaded<BodyRegressor> regressor(Path dir) {
        try {
            return Loaded.of(dir == null ? SmplRegressor.demo() : SmplRegressor.load(dir));
        } catch (IOException | RuntimeException e) {
            return Loaded.missing("regressor " + (dir == null ? "demo" : dir) + ": " + e.getMessage());
        }
    }

    private static Loaded<BodyRegressor> withoutProjection(BodyRegressor r) {
        if (r instanceof SmplRegressor s) {
            return Loaded.of(s.withProjection(false));
        }
        return Loaded.missing("the regressor " + r + " has no projection switch");
    }

    private static List<float[]> denoise(PointDenoiser d, List<float[]> points) {
        if (d instanceof JointDenoiser j) {
            List<float[]> out = new ArrayList<>(points.size());
            for (int i = 0; i < points.size(); i += 256) {
                out.addAll(j.denoise(points.subList(i, Math.min(points.size(), i + 256))));
            }
            return out;
        }
        List<float[]> out = new ArrayList<>(points.size());
        for (float[] p : points) {
            out.add(d.denoise(p));
        }
        return out;
    }

    private static Row row(String name, List<float[]> input, List<float[]> clean, List<SmplOutput> truth,
            Loaded<BodyRegressor> regressor, Loaded<?> dae) {
        if (dae.value == null) {
            return Row.missing(name, dae.note);
        }
        return row(name, input, clean, truth, regressor);
    }

    private static Row row(String name, List<float[]> input, List<float[]> clean, List<SmplOutput> truth,
            Loaded<BodyRegressor> regressor) {
        if (regressor.value == null) {
            return Row.missing(name, regressor.note);
        }
        int n = input.size();
        double points = 0;
        double mpjpe = 0;
        double all = 0;
        double pa = 0;
        double pve = 0;
        int[] allPoints = JointGroup.ALL.smplJoints(); // SMPL joint indices into the 24-joint array
        List<? extends BodyEstimate> estimates = regress(regressor.value, input);
        for (int i = 0; i < n; i++) {
            points += Metrics.mpjpe(input.get(i), clean.get(i));
            BodyEstimate e = estimates.get(i);
            Gender g = e.gender() == null ? Gender.NEUTRAL : e.gender();
            // SmplEstimate's rotation matrices are what reaches SMPL: projected to SO(3), or Ω's raw matrices when the
            // projection is off (its axis-angle pose is always that of the projected matrices)
            SmplOutput predicted = rootRelative(e instanceof SmplEstimate se
                    ? SmplModel.demo(g).forwardRotations(se.rotations(), se.betas(), null)
                    : SmplModel.demo(g).pose(e));
            SmplOutput t = truth.get(i);
            mpjpe += Metrics.mpjpe(predicted.joints(), t.joints());
            all += Metrics.mpjpe(predicted.joints(), t.joints(), allPoints);
            pa += Metrics.paMpjpe(predicted.joints(), t.joints());
            pve += Metrics.pve(predicted.vertices(), t.vertices());
        }
        return new Row(name, true, "", points / n, mpjpe / n, all / n, pa / n, pve / n);
    }

    /** In batches of 256 where the regressor has a batch path (one DL4J call instead of 256). */
    private static List<? extends BodyEstimate> regress(BodyRegressor r, List<float[]> input) {
        List<BodyEstimate> out = new ArrayList<>(input.size());
        if (r instanceof SmplRegressor s) {
            for (int i = 0; i < input.size(); i += 256) {
                out.addAll(s.regress(input.subList(i, Math.min(input.size(), i + 256))));
            }
        } else {
            for (float[] p : input) {
                out.add(r.regress(p));
            }
        }
        return out;
    }

    /** Vertices and joints minus the root joint. */
    private static SmplOutput rootRelative(SmplOutput o) {
        float[] v = o.vertices().clone();
        float[] j = o.joints().clone();
        float x = j[0];
        float y = j[1];
        float z = j[2];
        for (int i = 0; i < v.length; i += 3) {
            v[i] -= x;
            v[i + 1] -= y;
            v[i + 2] -= z;
        }
        for (int i = 0; i < 3 * SmplJoint.COUNT; i += 3) {
            j[i] -= x;
            j[i + 1] -= y;
            j[i + 2] -= z;
        }
        return new SmplOutput(v, j);
    }

    static String markdown(List<Row> rows, int samples, long seed) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "SMPLR ablations on %,d held-out demo-body samples (seed %d, random "
                + "orientation, the release's per-coordinate noise); errors in mm, root-relative.%n%n", samples,
                seed));
        s.append("| variant | 41 input points | MPJPE (24 joints) | MPJPE (All, 16) | PA-MPJPE | per-vertex |\n");
        s.append("|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            if (!r.available()) {
                s.append("| ").append(r.name()).append(" | ").append(NA).append(" | | | | |\n");
                continue;
            }
            s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n", r.name(), r.pointsMm(),
                    r.mpjpe24(), r.mpjpeAll(), r.paMpjpe(), r.pveMm()));
        }
        List<String> notes = new ArrayList<>();
        for (Row r : rows) {
            if (!r.available() && !notes.contains(r.note())) {
                notes.add(r.note());
            }
        }
        if (!notes.isEmpty()) {
            s.append('\n');
            for (String note : notes) {
                s.append("Not available: ").append(note).append('\n');
            }
        }
        return s.toString();
    }
}
