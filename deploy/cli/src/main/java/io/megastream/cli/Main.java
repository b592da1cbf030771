package io.megastream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code megastream} command line: parses options and hands over to a subcommand. */
@Command(
    name = "megastream",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Live camera video to 3D human meshes on Apache Kafka.",
    subcommands = {
      BrokerCommand.class,
      TopicsCommand.class,
      AclsCommand.class,
      K8sCommand.class,
      IngestCommand.class,
      ClipCommand.class,
      MocapCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      GenerateCommand.class,
      RecoverCommand.class,
      ModelsCommand.class,
      ExportCommand.class,
      OverlayCommand.class,
      DecodeCommand.class,
      ViewCommand.class,
      TracksCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:unexpected error (see the log)",
      "2:invalid command line or configuration",
      "3:an input (file, camera, stream) could not be read",
      "4:Kafka unreachable, login refused or not authorized, topic missing, or records not delivered"
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (for tests: no System.exit). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof IllegalArgumentException) {
            commandLine.getErr().println("megastream: " + ex.getMessage());
            return ExitCodes.USAGE;
          }
          throw ex;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"megastream " + (v == null ? "(development build)" : v)};
    }
  }
}
