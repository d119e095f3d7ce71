package dev.smplr.examples;

import dev.smplr.core.PipelineResult;
import dev.smplr.hourglass.Crop;
import dev.smplr.hourglass.PinholeCamera;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code smplr demo}: the whole pipeline on one image, with a picture of what each stage did. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the shipped demo pipeline (hourglass, denoiser, regressor, demo body) on a synthetic "
            + "image with known ground truth, or on your own picture, and write demo-<name>.{png,obj,glb,json} "
            + "and a table of per-stage errors (mm) and timings.",
            "The shipped demo weights are small and briefly trained: see the README for what to expect."})
final class DemoCommand implements Callable<Integer> {
    /** The side of the crop a picture is resized to, as the networks take it. */
    static final int CROP = 256;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "7",
            description = "Seed of the synthetic image (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--image", paramLabel = "FILE",
            description = "A picture of one person (PNG, JPEG): its centred square is the crop. No ground truth.")
    Path image;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        DemoReport.Input input;
        String name;
        if (image != null) {
            Inputs.requireFile(image, "--image");
            input = fromPicture(Inputs.image(image));
            String file = image.getFileName().toString();
            name = "demo-" + (file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file);
        } else {
            input = Stages.syntheticSample(seed);
            name = "demo-" + seed;
        }
        PipelineResult result = Stages.pipeline().run(input.crop());
        List<Path> files = DemoReport.write(out, name, input, result, Stages.body());
        o.print(DemoReport.table(DemoReport.rows(input, result, Stages.body(),
                input.gtEstimate() == null ? null : Stages.body().pose(input.gtEstimate()))));
        o.println("wrote " + files);
        return 0;
    }

    /** The centred square of a picture, resized to the networks' crop, seen by the release's Blender camera. */
    static DemoReport.Input fromPicture(BufferedImage picture) {
        float side = Math.min(picture.getWidth(), picture.getHeight());
        Crop crop = Crop.square(picture, picture.getWidth() / 2f, picture.getHeight() / 2f, side, CROP);
        PinholeCamera camera = crop.camera(PinholeCamera.blender(picture.getWidth(), picture.getHeight()));
        return DemoReport.Input.withoutTruth(crop.image(), camera);
    }
}
