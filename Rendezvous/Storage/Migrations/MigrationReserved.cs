// Placeholder steps for schema versions taken by other branches (003: password hashes, 004: hardening).
namespace P2PChat.Rendezvous.Storage.Migrations;

/// <summary>
/// MERGE NOTE: versions 3 and 4 belong to the issue-9 and issue-13 branches. On this branch alone they are empty
/// steps so that step 5 keeps its number; when those branches are merged, their real steps replace these two
/// entries in <see cref="SchemaMigrations.All"/> and this file is deleted.
/// </summary>
internal static class MigrationReserved
{
    public static SchemaMigration Version3 { get; } = new(3, "Reserved (issue 9)", "SELECT 1;");
    public static SchemaMigration Version4 { get; } = new(4, "Reserved (issue 13)", "SELECT 1;");
}
