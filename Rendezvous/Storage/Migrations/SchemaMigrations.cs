// The ordered list of every schema step this build knows; the last one's version is the current schema.
namespace P2PChat.Rendezvous.Storage.Migrations;

internal static class SchemaMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        Migration001InitialSchema.Step,
        Migration002EndToEndKeys.Step,
        Migration003PasswordParameters.Step,
        Migration004ResumptionTickets.Step,
    ];
}
