package dev.ferry.runtime;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code ferry} command line: moves data between Kafka and HTTP APIs on Kafka Connect. */
@Command(
    name = "ferry",
    mixinStandardHelpOptions = true,
    versionProvider = Ferry.Version.class,
    description = "Move data between Apache Kafka and HTTP APIs, both ways, on Kafka Connect.",
    subcommands = {
      UpCommand.class,
      GatewayCommand.class,
      ProduceCommand.class,
      ConsumeCommand.class,
      CheckConnectionCommand.class,
      HelpCommand.class
    })
public final class Ferry implements Runnable {
  @Spec CommandSpec spec;

  /** Runs {@code ferry} and exits with its exit code. */
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new Ferry());
    // bin/ferry passes a default --plugin-path before the user's arguments: the last one wins.
    cli.setOverwrittenOptionsAllowed(true);
    System.exit(cli.execute(args));
  }

  /** Without a subcommand, show the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version from the jar manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Ferry.class.getPackage().getImplementationVersion();
      return new String[] {"ferry " + (version == null ? "(development build)" : version)};
    }
  }
}
