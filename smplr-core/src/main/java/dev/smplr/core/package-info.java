/**
 * The SMPLR core: the joint and landmark schema ({@link dev.smplr.core.SmplJoint},
 * {@link dev.smplr.core.SmplrLandmark}, {@link dev.smplr.core.SmplrPoints}, {@link dev.smplr.core.JointGroup}),
 * kinematic trees, rotations, the N and B features, metrics, and the {@link dev.smplr.core.Pipeline} with the
 * stage interfaces the other modules implement.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Arrays are flat, row-major {@code float[]}: points {@code (n, 3)} with point {@code i} at
 *       {@code 3*i..3*i+2}; rotation matrices {@code (n, 3, 3)} at {@code 9*j + 3*r + c}; axis-angle
 *       {@code (n, 3)}.</li>
 *   <li>Units: metres and radians; metrics report millimetres.</li>
 *   <li>A point set is 41 root-relative points (123 floats, {@link dev.smplr.core.SmplrPoints}). Points from
 *       images are in the camera frame (X right, Y down, Z away from the camera); points from a body model are
 *       in its canonical frame (SMPL: Y up, +X the body's left, +Z the body's front).</li>
 *   <li>Wrong lengths, NaN and infinity are {@link java.lang.IllegalArgumentException}s naming the argument,
 *       the expected and the actual shape.</li>
 * </ul>
 */
package dev.smplr.core;
