package dev.smplr.examples;

import dev.smplr.core.Gender;
import dev.smplr.core.Pipeline;
import dev.smplr.core.PipelineResult;
import dev.smplr.hourglass.Crop;
import dev.smplr.io.MeshWriter;
import dev.smplr.smpl.SmplModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A folder of pictures through the pipeline, with a progress bar: each picture's centred square becomes the
 * 256 × 256 crop, the pipeline recovers the body, and the mesh goes to {@code <out>/<name>.obj}; a summary
 * {@code results.csv} lists each picture's timing or why it was skipped. Pictures Java cannot decode are skipped,
 * not fatal.
 *
 * <p>Run: {@code java -cp smplr-examples.jar dev.smplr.examples.BatchFolderExample photos/ [out-dir]}.
 */
public final class BatchFolderExample {
    private BatchFolderExample() {
    }

    /**
     * How a folder went.
     *
     * @param processed pictures run through the pipeline
     * @param skipped   files that were not pictures Java can read
     */
    record Summary(int processed, int skipped) {
    }

    /**
     * @param args the folder of pictures, and optionally the output directory (default {@code out/batch})
     * @throws IOException if the folder cannot be listed or a result cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: BatchFolderExample <folder-of-pictures> [out-dir]");
            System.exit(2);
        }
        Pipeline pipeline = Pipeline.demo(); // the shipped stages: hourglass, denoiser, regressor, demo body
        Summary s = process(Path.of(args[0]), Path.of(args.length > 1 ? args[1] : "out/batch"), pipeline,
                SmplModel.demo(Gender.NEUTRAL));
        System.out.printf(Locale.ROOT, "%d pictures processed, %d files skipped%n", s.processed(), s.skipped());
    }

    /**
     * @param folder   the pictures (.png, .jpg, .jpeg, .bmp, .gif), not recursive, in name order
     * @param out      where the meshes and {@code results.csv} go
     * @param pipeline the pipeline to run
     * @param body     the pipeline's body model, for the meshes' faces
     * @return how many were processed and skipped
     * @throws IOException if the folder cannot be listed or a result cannot be written
     */
    static Summary process(Path folder, Path out, Pipeline pipeline, SmplModel body) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpe?g|bmp|gif)")).sorted().toList();
        }
        Files.createDirectories(out);
        int processed = 0;
        int skipped = 0;
        try (Writer csv = Files.newBufferedWriter(out.resolve("results.csv"), StandardCharsets.UTF_8);
                ProgressBar bar = new ProgressBarBuilder().setTaskName("pictures").setInitialMax(files.size())
                        .setStyle(ProgressBarStyle.ASCII).build()) {
            csv.write("file,status,milliseconds\n");
            for (Path file : files) {
                bar.setExtraMessage(file.getFileName().toString());
                BufferedImage picture = readOrNull(file);
                if (picture == null) {
                    csv.write(file.getFileName() + ",not a readable picture,\n");
                    skipped++;
                } else {
                    float side = Math.min(picture.getWidth(), picture.getHeight());
                    Crop crop = Crop.square(picture, picture.getWidth() / 2f, picture.getHeight() / 2f, side, 256);
                    PipelineResult r = pipeline.run(crop.image());
                    if (r.mesh() != null) {
                        String name = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                        MeshWriter.writeObj(out.resolve(name + ".obj"), r.mesh().vertices(), body.faces(), true);
                    }
                    csv.write(String.format(Locale.ROOT, "%s,ok,%.1f%n", file.getFileName(),
                            r.totalTime().toNanos() / 1e6));
                    processed++;
                }
                bar.step();
            }
        }
        return new Summary(processed, skipped);
    }

    private static BufferedImage readOrNull(Path file) {
        try {
            return ImageIO.read(file.toFile());
        } catch (IOException e) {
            return null;
        }
    }
}
