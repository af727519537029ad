// Thrown when a database file was written by a newer server with a schema this build does not know.
namespace P2PChat.Rendezvous.Storage.Migrations;

public sealed class SchemaTooNewException(string path, int databaseVersion, int knownVersion)
    : Exception($"The database '{path}' has schema version {databaseVersion}, but this server only knows versions up to {knownVersion}. "
                + "It was written by a newer server; run that version (or newer) instead. The file was not modified.")
{
    public int DatabaseVersion { get; } = databaseVersion;

    public int KnownVersion { get; } = knownVersion;
}
