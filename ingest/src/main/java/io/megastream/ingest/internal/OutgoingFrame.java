package io.megastream.ingest.internal;

import io.megastream.proto.Frame;

/** A frame ready to send, with its serialized size (for queue accounting). */
public record OutgoingFrame(Frame frame, long bytes) {}
