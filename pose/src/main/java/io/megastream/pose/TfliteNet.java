package io.megastream.pose;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolver;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * One TensorFlow Lite model and its interpreter, through the JavaCPP preset: float32 input 0,
 * float32 outputs. {@link BuiltinOpResolver} applies the XNNPACK delegate by default, with the
 * interpreter's thread count. Not thread-safe: one instance per thread.
 *
 * <p>Native ownership: the model bytes live in a buffer this object owns (TFLite's {@code
 * BuildFromBuffer} does not copy them); the interpreter refers to the model, the model to the
 * buffer, so {@link #close()} frees them in that order, once.
 */
public final class TfliteNet implements AutoCloseable {

  private final String name;
  private final BytePointer buffer;
  private final FlatBufferModel model;
  private final BuiltinOpResolver resolver;
  private final InterpreterBuilder builder;
  private final Interpreter interpreter;
  private boolean closed;

  private TfliteNet(
      String name,
      BytePointer buffer,
      FlatBufferModel model,
      BuiltinOpResolver resolver,
      InterpreterBuilder builder,
      Interpreter interpreter) {
    this.name = name;
    this.buffer = buffer;
    this.model = model;
    this.resolver = resolver;
    this.builder = builder;
    this.interpreter = interpreter;
  }

  /**
   * Builds an interpreter for a model.
   *
   * @param name the model's file name, for messages
   * @param threads CPU threads of the interpreter (and XNNPACK), ≥ 1
   * @throws PoseModelException if the bytes are not a TFLite model this runtime can run
   */
  public static TfliteNet load(String name, byte[] tflite, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    BytePointer buffer = new BytePointer(tflite.length);
    buffer.put(tflite);
    FlatBufferModel model = FlatBufferModel.VerifyAndBuildFromBuffer(buffer, tflite.length);
    if (model == null || model.isNull()) {
      buffer.close();
      throw new PoseModelException(
          "TFLite model " + name + " is corrupt: it does not verify as a TFLite flat buffer", null);
    }
    BuiltinOpResolver resolver = new BuiltinOpResolver();
    InterpreterBuilder builder = new InterpreterBuilder(model, resolver);
    Interpreter interpreter = new Interpreter((Pointer) null);
    int built = builder.SetNumThreads(threads);
    if (built == kTfLiteOk) {
      built = builder.apply(interpreter);
    }
    TfliteNet net = new TfliteNet(name, buffer, model, resolver, builder, interpreter);
    if (built != kTfLiteOk || interpreter.isNull() || interpreter.AllocateTensors() != kTfLiteOk) {
      net.close();
      throw new PoseModelException(
          "TFLite cannot build an interpreter for " + name + " (unsupported operators?)", null);
    }
    for (int i = 0; i < net.outputCount(); i++) {
      if (interpreter.output_tensor(i).type() != kTfLiteFloat32) {
        net.close();
        throw new PoseModelException(name + ": output " + i + " is not float32", null);
      }
    }
    if (interpreter.input_tensor(0).type() != kTfLiteFloat32) {
      net.close();
      throw new PoseModelException(name + ": input is not float32", null);
    }
    return net;
  }

  public String name() {
    return name;
  }

  /** The input's shape, e.g. [1, 256, 256, 3]. */
  public int[] inputShape() {
    return dims(interpreter.input_tensor(0));
  }

  /** Resizes input 0's first dimension (the batch) to {@code n} and reallocates, if it changed. */
  public void resizeBatch(int n) {
    int[] shape = inputShape();
    if (shape[0] == n) {
      return;
    }
    shape[0] = n;
    if (interpreter.ResizeInputTensor(interpreter.inputs().get(0), shape) != kTfLiteOk
        || interpreter.AllocateTensors() != kTfLiteOk) {
      throw new PoseModelException(name + " cannot run a batch of " + n, null);
    }
  }

  /** Input 0's buffer, {@code product(inputShape())} floats: fill it, then {@link #invoke()}. */
  public FloatPointer input() {
    return interpreter.typed_input_tensor_float(0);
  }

  public void invoke() {
    if (interpreter.Invoke() != kTfLiteOk) {
      throw new PoseModelException(name + ": TFLite inference failed", null);
    }
  }

  /** The number of outputs (the preset's std::vector adapter sets the pointer's limit). */
  public int outputCount() {
    return (int) interpreter.outputs().limit();
  }

  public int[] outputShape(int i) {
    return dims(interpreter.output_tensor(i));
  }

  /** The number of values of output {@code i}. */
  public int outputSize(int i) {
    return Arrays.stream(outputShape(i)).reduce(1, (a, b) -> a * b);
  }

  /** Output {@code i} of the last {@link #invoke()}, copied. */
  public float[] output(int i) {
    float[] v = new float[outputSize(i)];
    interpreter.typed_output_tensor_float(i).get(v);
    return v;
  }

  private static int[] dims(TfLiteTensor t) {
    TfLiteIntArray d = t.dims();
    int[] shape = new int[d.size()];
    for (int k = 0; k < shape.length; k++) {
      shape[k] = d.data(k);
    }
    return shape;
  }

  /** Frees the interpreter, then the model and its bytes. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    interpreter.close();
    builder.close();
    resolver.close();
    model.close();
    buffer.close();
  }
}
