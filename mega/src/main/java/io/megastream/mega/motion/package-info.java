/**
 * Synthetic motion capture, standing in for real mocap when training the mesh tokenizer and the
 * MEGA model: {@link io.megastream.mega.motion.MotionGenerator} makes {@link
 * io.megastream.mega.motion.MotionClip}s of SMPL parameters.
 *
 * <p>The actions, each defined in one small class of {@code internal}:
 *
 * <ul>
 *   <li>walk, run ({@code Gait}): periodic hip, knee, ankle and toe curves from normative gait data
 *       (walking knee ~60 deg in swing, 15-20 at loading), legs half a cycle apart, arms swinging
 *       against the legs, pelvic turn and list, thorax counter-rotation; running has flight phases.
 *   <li>jump: countermovement jump on the spot or forward, once or twice, with a ballistic flight.
 *   <li>squat: repeated squats to a random depth, arms forward or hands at the chest.
 *   <li>kick: a front kick (wind-up, swing-through, strike, follow-through, recoil), one leg or
 *       both.
 *   <li>throw: an overarm throw, right- or left-handed, stepping into it and following through.
 *   <li>turn: 60-180 deg on the spot with small steps, or while walking; head, chest, pelvis in
 *       turn.
 *   <li>bend: a stoop (sometimes reaching with one hand), a bent-knee pick-up, or a side bend.
 *   <li>fall-and-get-up: backward (sit, lie back, sit up, crouch, stand) or forward (knees, hands,
 *       maybe prone, kneel on one knee, stand).
 *   <li>random: smooth motion through key poses from a prior with coordinated joints (blends of
 *       named poses plus synergies plus a little noise).
 * </ul>
 *
 * <p>Every action gets the same finishing: a slow sway of a few degrees so no joint is frozen, a
 * random heading, clamping into {@code JointLimits}, and placement on the floor ({@code
 * Grounding}).
 */
package io.megastream.mega.motion;
