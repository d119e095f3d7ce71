package dev.smplr.hourglass;

import java.awt.image.BufferedImage;

/**
 * What {@link MeshRenderer} produced: the colour image and, per pixel, the depth, the coverage mask and the
 * visible face. Per-pixel arrays are row-major, pixel {@code (col, row)} at {@code row * width + col}, and
 * describe the pixel's centre. They belong to the caller: the accessors return them as they are, not copied.
 */
public final class RenderResult {
    private final BufferedImage image;
    private final float[] depth;
    private final boolean[] mask;
    private final int[] faceIds;
    private final int covered;

    RenderResult(BufferedImage image, float[] depth, boolean[] mask, int[] faceIds, int covered) {
        this.image = image;
        this.depth = depth;
        this.mask = mask;
        this.faceIds = faceIds;
        this.covered = covered;
    }

    /** @return the image, {@link BufferedImage#TYPE_INT_RGB}, the camera's size */
    public BufferedImage image() {
        return image;
    }

    /**
     * @return the depth (H, W): the camera-frame Z, metres, of the nearest surface seen through each pixel
     *         centre; {@link Float#POSITIVE_INFINITY} where the mesh does not cover the pixel
     */
    public float[] depth() {
        return depth;
    }

    /** @return the mask (H, W): true where the mesh covers the pixel centre */
    public boolean[] mask() {
        return mask;
    }

    /** @return the visible face (H, W): the index of the face seen at each pixel centre, −1 where none */
    public int[] faceIds() {
        return faceIds;
    }

    /** @return the number of pixels the mesh covers (true entries of the mask) */
    public int coveredPixels() {
        return covered;
    }

    /** @return the image width, pixels */
    public int width() {
        return image.getWidth();
    }

    /** @return the image height, pixels */
    public int height() {
        return image.getHeight();
    }

    @Override
    public String toString() {
        return "RenderResult[" + width() + "×" + height() + ", " + covered + " pixels covered]";
    }
}
