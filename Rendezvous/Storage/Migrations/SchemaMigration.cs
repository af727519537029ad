// One numbered schema step: the SQL that takes a database from Version - 1 to Version.
namespace P2PChat.Rendezvous.Storage.Migrations;

internal sealed record SchemaMigration(int Version, string Description, string Sql);
