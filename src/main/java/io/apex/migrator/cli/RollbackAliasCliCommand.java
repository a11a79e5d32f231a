package io.apex.migrator.cli;

import io.apex.migrator.api.RollbackAliasCommand;
import io.apex.migrator.pipeline.CommandSender;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qdrant rollback-alias}: sends {@code qdrant.rollback-alias} to the workers over Kafka. */
@Command(name = "rollback-alias", mixinStandardHelpOptions = true,
        description = "Point an alias back at the collection it served before its last completed migration (or at "
                + "--to-collection); one atomic alias update, done by a worker. The alias must exist.")
final class RollbackAliasCliCommand implements Callable<Integer> {

    @Option(names = "--alias", required = true, paramLabel = "ALIAS", description = "The alias to move back.")
    String alias;

    @Option(names = "--to-collection", paramLabel = "COLLECTION",
            description = "Collection to point it at (default: the one before its last completed migration).")
    String collection;

    @Spec
    CommandSpec spec;

    @Inject
    CommandSender sender;

    @Override
    public Integer call() {
        RollbackAliasCommand command = new RollbackAliasCommand("cli-" + UUID.randomUUID(), alias, collection);
        sender.send(command);
        spec.commandLine().getOut().printf("%s: rollback requested (command %s); a worker emits alias-swapped once "
                + "done, or migration-rejected with the reason%n", alias, command.commandId());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
