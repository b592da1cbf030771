/**
 * Reading body models from files users bring: NumPy {@code .npy}/{@code .npz} arrays ({@link
 * io.megastream.mega.body.io.Npy}, {@link io.megastream.mega.body.io.Npz}) and SMPL-format models
 * ({@link io.megastream.mega.body.io.SmplNpz}). No pickles are ever read.
 */
package io.megastream.mega.body.io;
