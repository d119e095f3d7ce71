package dev.smplr.examples;

import dev.smplr.core.BodyEstimate;
import dev.smplr.core.Metrics;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PipelineResult;
import dev.smplr.core.SmplrPoints;
import dev.smplr.smpl.SmplModel;
import dev.smplr.smpl.SmplOutput;
import dev.smplr.smpl.SmplParams;
import dev.smplr.smpl.training.Json;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smplr fit}: 41 points to SMPL parameters and a mesh. */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Recover SMPL pose and shape from 41 SMPLR points (root-relative, metres) with the trained "
            + "regressor, and write <name>.json (parameters), <name>.obj and <name>.glb.",
            "The points file is JSON (an array of 41 [x, y, z], 123 numbers, or key 'points41'), CSV (41 lines of "
            + "x, y, z) or NPY (shape (41, 3) or (123,))."})
final class FitCommand implements Callable<Integer> {
    @Option(names = "--points", paramLabel = "FILE", required = true, description = "The 41 points.")
    Path points;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "demo", converter = ModelSpec.Converter.class,
            description = "The body model: an SMPL .pkl/.npz, or demo[:female|male|neutral] (default: "
                + "${DEFAULT-VALUE}).")
    ModelSpec model;

    @Option(names = "--denoise", description = "Clean the points with the trained denoiser first.")
    boolean denoise;

    @Option(names = "--refine", description = "Refine the regressor's estimate by optimisation (SmplFitter).")
    boolean refine;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "fit",
            description = "Base name of the files written (default: ${DEFAULT-VALUE}).")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Inputs.requireFile(points, "--points");
        float[] input = InputArrays.read(points, List.of("points41", "points"), SmplrPoints.COUNT, 3,
                "41 points of x, y, z");
        SmplModel body = model.load();
        Pipeline.Builder builder = Pipeline.builder().regressor(Stages.regressor()).body(body);
        if (denoise) {
            builder.denoiser(Stages.denoiser());
        }
        PipelineResult result = builder.build().runFromPoints(input);
        BodyEstimate estimate = result.estimate();
        float[] fitted = result.bodyPoints();
        Duration refineTime = null;
        if (refine) {
            long t = System.nanoTime();
            estimate = Stages.refine(body, input, estimate);
            refineTime = Duration.ofNanos(System.nanoTime() - t);
            fitted = body.smplrPoints(body.pose(estimate));
        }
        SmplOutput mesh = body.forward(SmplParams.of(estimate.pose(), estimate.betas(), null));

        Files.createDirectories(out);
        Path json = out.resolve(name + ".json");
        Map<String, Object> doc = new LinkedHashMap<>(DemoReport.params(estimate));
        doc.put("model", model.toString());
        doc.put("points41", input);
        doc.put("fittedPoints41", fitted);
        doc.put("mpjpeMm", Metrics.mpjpe(fitted, input));
        doc.put("paMpjpeMm", Metrics.paMpjpe(fitted, input));
        Files.writeString(json, Json.write(doc), StandardCharsets.UTF_8);
        Path obj = out.resolve(name + ".obj");
        Path glb = out.resolve(name + ".glb");
        MeshFiles.write(obj, mesh.vertices(), body.faces(), mesh.joints());
        MeshFiles.write(glb, mesh.vertices(), body.faces(), mesh.joints());

        PrintWriter o = spec.commandLine().getOut();
        result.timings().forEach((stage, d) -> o.printf(Locale.ROOT, "%-8s %8.1f ms%n",
                stage.name().toLowerCase(Locale.ROOT), d.toNanos() / 1e6));
        if (refineTime != null) {
            o.printf(Locale.ROOT, "%-8s %8.1f ms%n", "refine", refineTime.toNanos() / 1e6);
        }
        o.printf(Locale.ROOT, "fitted points vs input: MPJPE %.1f mm, PA-MPJPE %.1f mm%n",
                Metrics.mpjpe(fitted, input), Metrics.paMpjpe(fitted, input));
        o.printf("wrote %s, %s, %s%n", json, obj, glb);
        return 0;
    }
}
