package dev.smplr.examples;

import dev.smplr.io.FileFormatException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Checks and reads the commands' input files. */
final class Inputs {
    private Inputs() {
    }

    /**
     * @param file   a path given on the command line
     * @param option the option or parameter that gave it, for the message
     * @throws Smplr.UsageException if it is not an existing regular file (a usage error, exit code 2)
     */
    static void requireFile(Path file, String option) {
        if (!Files.exists(file)) {
            throw new Smplr.UsageException(option + ": no such file: " + file);
        }
        if (!Files.isRegularFile(file) && !option.equals("MODEL")) {
            throw new Smplr.UsageException(option + ": not a file: " + file);
        }
    }

    /**
     * @param file an image file (PNG, JPEG, BMP, GIF)
     * @return the image
     * @throws FileFormatException if it is not an image Java can decode
     * @throws IOException         if it cannot be read
     */
    static BufferedImage image(Path file) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (javax.imageio.IIOException e) {
            throw new FileFormatException(file + ": not a readable image (" + Smplr.message(e) + ")", e);
        }
        if (img == null) {
            throw new FileFormatException(file + ": not an image this program reads (expected PNG, JPEG, BMP or GIF)");
        }
        return img;
    }

    /** @return the file name's extension, lower case, without the dot; "" if none */
    static String extension(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
